/** Pure renderers of the connectivity report: a plain-text table for people, JSON for scripts. */
import type { CheckRow } from './checkRow';

export interface ConnectivityReport {
  ok: boolean;
  rows: CheckRow[];
}

export function report(rows: CheckRow[]): ConnectivityReport {
  return { ok: rows.every((row) => row.status === 'ok'), rows };
}

export function renderJson(connectivity: ConnectivityReport): string {
  return `${JSON.stringify(connectivity, null, 2)}\n`;
}

/**
 * One block per check: `status  check  detail`, the fix on the next line indented under the detail,
 * then a summary line. Columns are padded to the longest check name; text is never cut.
 */
export function renderTable(connectivity: ConnectivityReport): string {
  const { rows } = connectivity;
  const checkWidth = Math.max('check'.length, ...rows.map((row) => row.check.length));
  const statusWidth = 'problem'.length;
  const indent = ' '.repeat(statusWidth + 2 + checkWidth + 2);
  const lines = [`${'status'.padEnd(statusWidth)}  ${'check'.padEnd(checkWidth)}  detail / what to do`];
  for (const row of rows) {
    lines.push(`${row.status.padEnd(statusWidth)}  ${row.check.padEnd(checkWidth)}  ${row.detail}`);
    if (row.fix) lines.push(`${indent}→ ${row.fix}`);
  }
  const problems = rows.filter((row) => row.status === 'problem').length;
  lines.push('', problems ? `${problems} of ${rows.length} checks failed` : `all ${rows.length} checks passed`);
  return `${lines.join('\n')}\n`;
}
