/** The checklist as Markdown (for people) or CSV (for trackers), before or after a live check. */
import { toCsv } from '../csv';
import { markdownTable } from '../markdown';
import { AREAS, type Area, type CheckedItem, type ChecklistItem } from './checklistItem';

export const CHECKLIST_CSV_HEADER = ['id', 'area', 'item', 'how_to_verify'] as const;
export const LIVE_CHECKLIST_CSV_HEADER = [...CHECKLIST_CSV_HEADER, 'status', 'detail'] as const;

/** Says which items `--live` covers, so a reader of the static list knows what the tool can do for them. */
const howToVerify = (item: ChecklistItem) =>
  item.liveCheck ? `${item.howToVerify} Checked by jwo checklist --live.` : item.howToVerify;

function byArea<T extends ChecklistItem>(items: readonly T[]): [Area, T[]][] {
  return AREAS.map((area): [Area, T[]] => [area, items.filter((item) => item.area === area)]).filter(
    ([, inArea]) => inArea.length > 0,
  );
}

export function renderChecklistCsv(items: readonly ChecklistItem[]): string {
  return toCsv(
    CHECKLIST_CSV_HEADER,
    items.map((item) => [item.id, item.area, item.text, howToVerify(item)]),
  );
}

export function renderCheckedCsv(items: readonly CheckedItem[]): string {
  return toCsv(
    LIVE_CHECKLIST_CSV_HEADER,
    items.map((item) => [item.id, item.area, item.text, howToVerify(item), item.status, item.detail]),
  );
}

const TITLE = '# Operational readiness checklist: app-entry Just Walk Out store\n';

export function renderChecklistMarkdown(items: readonly ChecklistItem[]): string {
  const sections = byArea(items).map(
    ([area, inArea]) =>
      `## ${area}\n\n${markdownTable(
        ['ID', 'Item', 'How to verify'],
        inArea.map((item) => [item.id, item.text, howToVerify(item)]),
      )}`,
  );
  return [TITLE, ...sections].join('\n');
}

export function renderCheckedMarkdown(items: readonly CheckedItem[], apiUrl: string): string {
  const count = (status: CheckedItem['status']) => items.filter((item) => item.status === status).length;
  const summary = `Checked against ${apiUrl}: ${count('PASSED')} passed, ${count('FAILED')} failed, ${count('MANUAL')} to check by hand.\n`;
  const sections = byArea(items).map(
    ([area, inArea]) =>
      `## ${area}\n\n${markdownTable(
        ['ID', 'Status', 'Item', 'Detail', 'How to verify'],
        inArea.map((item) => [item.id, item.status, item.text, item.detail, howToVerify(item)]),
      )}`,
  );
  return [TITLE, summary, ...sections].join('\n');
}
