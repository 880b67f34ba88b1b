/** `jwo checklist`: from the command's options to what it prints and whether anything failed. */
import { APP_ENTRY_CHECKLIST } from './appEntryChecklist';
import type { CheckedItem } from './checklistItem';
import type { Deployment } from './deploymentHttp';
import { runLiveChecks } from './liveChecks';
import {
  renderCheckedCsv,
  renderCheckedMarkdown,
  renderChecklistCsv,
  renderChecklistMarkdown,
} from './renderChecklist';

export interface ChecklistOptions {
  format: 'md' | 'csv';
  /** Given: check the items that can be checked against this deployment. */
  live?: Deployment;
}

const BY_HAND = 'needs a person: see how to verify';

export async function checklistReport(options: ChecklistOptions): Promise<{ output: string; failedItems: string[] }> {
  if (!options.live) {
    return {
      output:
        options.format === 'csv'
          ? renderChecklistCsv(APP_ENTRY_CHECKLIST)
          : renderChecklistMarkdown(APP_ENTRY_CHECKLIST),
      failedItems: [],
    };
  }
  const outcomes = await runLiveChecks(options.live);
  const checked = APP_ENTRY_CHECKLIST.map((item): CheckedItem => ({
    ...item,
    ...(item.liveCheck ? outcomes[item.liveCheck] : { status: 'MANUAL', detail: BY_HAND }),
  }));
  return {
    output: options.format === 'csv' ? renderCheckedCsv(checked) : renderCheckedMarkdown(checked, options.live.apiUrl),
    failedItems: checked.filter((item) => item.status === 'FAILED').map((item) => item.id),
  };
}
