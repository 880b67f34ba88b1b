/**
 * `jwo purchases refund` and `jwo ledger audit`: money after the purchase, through the operator API
 * (POST /ops/v1/purchases/:tripId/refunds, GET /ops/v1/ledger/audit).
 */
import type { Command } from 'commander';
import { formatMinor } from '../../domain/money';
import { OpsError, opsClient } from './opsClient';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--line A --quantity 1 --line B --quantity 2` → [{lineId: A, quantity: 1}, …]: each --line takes the --quantity at the same position. */
export function refundLines(lines: string[] = [], quantities: string[] = []): { lineId: string; quantity: string }[] {
  if (lines.length !== quantities.length)
    throw new OpsError(`give one --quantity per --line (${lines.length} --line, ${quantities.length} --quantity)`);
  return lines.map((lineId, i) => ({ lineId, quantity: quantities[i] }));
}

interface LedgerAuditView {
  tripsChecked: number;
  clean: boolean;
  violations: { kind: string; tripId: string | null; detail: string }[];
}

/** Prints the audit; true when clean. */
export function printLedgerAudit(audit: LedgerAuditView, write: (line: string) => void): boolean {
  for (const v of audit.violations) write(`${v.kind.padEnd(24)} ${v.tripId ?? '-'}  ${v.detail}`);
  write(
    audit.violations.length
      ? `ledger audit: ${audit.violations.length} violation(s) in ${audit.tripsChecked} trip(s) checked`
      : `ledger audit: clean (${audit.tripsChecked} trip(s) checked)`,
  );
  return audit.violations.length === 0;
}

export function ledgerAuditQueryString(o: { store?: string; since?: string; graceMinutes?: string }): string {
  const params = new URLSearchParams();
  if (o.store) params.set('store', o.store);
  if (o.since) params.set('since', o.since);
  if (o.graceMinutes) params.set('graceMinutes', o.graceMinutes);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export function registerPaymentCommands(program: Command): void {
  const purchases =
    program.commands.find((c) => c.name() === 'purchases') ??
    program.command('purchases').description('find, inspect and replay purchases');
  purchases
    .command('refund <tripId>')
    .description('refund lines, an amount, or (with neither) the whole purchase; the same request refunds once')
    .option('--line <lineId>', 'a receipt line to refund (repeat, each with its --quantity)', collect)
    .option('--quantity <n>', 'how much of the --line at the same position', collect)
    .option('--amount <major>', 'an amount in major units of the purchase currency, e.g. 12.50')
    .requiredOption('--reason <text>', 'why (on the receipt and in the audit log)')
    .option('--request-id <id>', 'only to refund the same lines or amount again on purpose')
    .option('--json', 'print JSON')
    .action(
      async (
        tripId: string,
        o: {
          line?: string[];
          quantity?: string[];
          amount?: string;
          reason: string;
          requestId?: string;
          json?: boolean;
        },
      ) => {
        const lines = refundLines(o.line, o.quantity);
        const result = await opsClient().post(`/ops/v1/purchases/${encodeURIComponent(tripId)}/refunds`, {
          ...(lines.length ? { lines } : {}),
          ...(o.amount ? { amount: o.amount } : {}),
          reason: o.reason,
          ...(o.requestId ? { requestId: o.requestId } : {}),
        });
        if (o.json) return void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        const amount = `${formatMinor(result.refundedMinor, result.currency)} ${result.currency}`;
        process.stdout.write(
          result.repeated
            ? `already done: ${result.refundId} ${result.status} ${amount} (nothing more refunded)\n`
            : `${result.refundId} ${result.status} ${amount}${result.declineCode ? ` (${result.declineCode})` : ''}\n`,
        );
        if (result.status !== 'REFUNDED') process.exitCode = 1;
      },
    );

  const ledger = program.command('ledger').description('the payment ledger');
  ledger
    .command('audit')
    .description(
      'check every trip: captured + charged − refunded against its receipt and debt, no pre-auth left open, no money moved twice; exits 1 on any violation',
    )
    .option('--store <id>', 'only this store')
    .option('--since <iso>', 'only trips and entries from this time on (ISO 8601)')
    .option('--grace-minutes <n>', 'how long after a trip closes a pre-auth may still be held (default 60)')
    .option('--json', 'print JSON')
    .action(async (o: { store?: string; since?: string; graceMinutes?: string; json?: boolean }) => {
      const audit = await opsClient().get<LedgerAuditView>(`/ops/v1/ledger/audit${ledgerAuditQueryString(o)}`);
      if (o.json) process.stdout.write(`${JSON.stringify(audit, null, 2)}\n`);
      const clean = o.json
        ? audit.violations.length === 0
        : printLedgerAudit(audit, (line) => process.stdout.write(`${line}\n`));
      if (!clean) process.exitCode = 1;
    });
}
