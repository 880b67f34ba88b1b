import { parseCsv } from '../../../../src/domain/catalog';
import {
  APP_ENTRY_CHECKLIST,
  AREAS,
  CHECKLIST_CSV_HEADER,
  checklistReport,
  LIVE_CHECKS,
  renderChecklistCsv,
  renderChecklistMarkdown,
  REQUIRED_METRICS,
} from '../../../../src/tools/readiness/checklist';

describe('the app-entry operational readiness checklist', () => {
  test('when listed, then every area has items, ids are unique and every item says how to verify it', () => {
    expect(new Set(APP_ENTRY_CHECKLIST.map((item) => item.area))).toEqual(new Set(AREAS));
    expect(new Set(APP_ENTRY_CHECKLIST.map((item) => item.id)).size).toBe(APP_ENTRY_CHECKLIST.length);
    expect(APP_ENTRY_CHECKLIST.every((item) => item.text.length > 0 && item.howToVerify.length > 0)).toBe(true);
  });

  test('when listed, then each live check belongs to exactly one item', () => {
    const used = APP_ENTRY_CHECKLIST.flatMap((item) => (item.liveCheck ? [item.liveCheck] : []));
    expect([...used].sort()).toEqual([...LIVE_CHECKS].sort());
  });

  test('when listed, then the metrics item names every metric the alerts need', () => {
    const metricsItem = APP_ENTRY_CHECKLIST.find((item) => item.liveCheck === 'metrics')!;
    for (const name of REQUIRED_METRICS) expect(metricsItem.text).toContain(name);
  });
});

describe('the checklist rendered without --live', () => {
  test('when rendered as Markdown, then items are grouped under one heading per area in order, each item once', () => {
    const markdown = renderChecklistMarkdown(APP_ENTRY_CHECKLIST);
    expect(markdown.split('\n').filter((line) => line.startsWith('## '))).toEqual(AREAS.map((area) => `## ${area}`));
    for (const item of APP_ENTRY_CHECKLIST) expect(markdown.split(`| ${item.id} |`)).toHaveLength(2);
    expect(markdown).toContain('| ID | Item | How to verify |');
  });

  test('when rendered as CSV, then it has the header and one row per item that reads back unchanged, quoted where needed', () => {
    const csv = renderChecklistCsv(APP_ENTRY_CHECKLIST);
    const records = parseCsv(csv).map((record) => record.fields);
    expect(records[0]).toEqual([...CHECKLIST_CSV_HEADER]);
    expect(records.slice(1).map((fields) => [fields[0], fields[1], fields[2]])).toEqual(
      APP_ENTRY_CHECKLIST.map((item) => [item.id, item.area, item.text]),
    );
    expect(csv).toContain('"Prices, promotions and taxes come from the POS and match the shelf."');
  });

  test('when an item can be checked live, then its how-to-verify says so; otherwise not', () => {
    const rows = new Map(
      parseCsv(renderChecklistCsv(APP_ENTRY_CHECKLIST)).map((record) => [record.fields[0], record.fields[3]]),
    );
    expect(rows.get('SEC-01')).toBe(
      'POST /v1/identity/identity-keys without the key answers 401. Checked by jwo checklist --live.',
    );
    expect(rows.get('SEC-04')).not.toContain('--live');
  });

  test('when run without --live, then nothing is marked and nothing fails', async () => {
    const report = await checklistReport({ format: 'md' });
    expect(report.failedItems).toEqual([]);
    expect(report.output).not.toMatch(/PASSED|FAILED|MANUAL/);
  });
});
