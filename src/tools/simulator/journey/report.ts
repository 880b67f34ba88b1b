/** The reconciliation as the operator reads it at the end of `jwo simulate`. */
import { formatMinor } from '../../../domain/money';
import type { Reconciliation } from './reconcile';

export function formatReconciliation(r: Reconciliation, currency: string, header: string): string {
  const money = (minor: number) => `${formatMinor(minor, currency)} ${currency}`;
  const statuses = Object.entries(r.purchases.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const lines = [
    header,
    `  entries            ${r.entries.scanned} scanned, ${r.entries.admitted} admitted`,
    `  purchases          ${r.purchases.sent} sent, ${r.purchases.recorded} recorded${statuses ? ` (${statuses})` : ''}`,
    `  captured           ${money(r.captured.actualMinor)}, expected ${money(r.captured.expectedMinor)}`,
    `  voided pre-auths   ${r.voidedPreAuths.actual}, expected ${r.voidedPreAuths.expected}`,
    `  bad carts          ${r.badCarts.actual}, expected ${r.badCarts.expected}`,
    `  declines           ${r.declines.actual}, expected ${r.declines.expected}`,
    ...(r.ledgerAudit
      ? [
          `  ledger audit       ${r.ledgerAudit.tripsChecked} trips checked, ${r.ledgerAudit.violations ? `${r.ledgerAudit.violations} violation(s)` : 'clean'}`,
        ]
      : []),
  ];
  if (r.mismatches.length === 0) lines.push('  result             clean: every trip reconciles');
  else
    lines.push(`  result             ${r.mismatches.length} mismatch(es):`, ...r.mismatches.map((m) => `    - ${m}`));
  return lines.join('\n');
}
