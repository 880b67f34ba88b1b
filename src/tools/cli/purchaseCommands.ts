/** `jwo purchases`, `jwo badcarts`, `jwo shoppers`: operating purchases through the operator API. */
import type { Command } from 'commander';
import { formatMinor } from '../../domain/money';
import { opsClient } from './opsClient';

const money = (minor: number | null, currency: string | null) =>
  minor === null ? '-' : `${formatMinor(minor, currency ?? 'USD')} ${currency ?? ''}`.trim();

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function receiptText(p: any): string {
  const r = p.receipt;
  const lines = [
    `Trip        ${p.tripId}`,
    `Purchase    ${p.purchaseId || '(empty cart)'}`,
    `Store       ${p.storeId}    Shopper ${p.shopperId ?? '-'}`,
    `Status      ${p.status}${p.failure ? `  (${p.failure})` : ''}`,
    `Workflow    ${p.workflowUrl ?? p.workflowId}`,
  ];
  if (r) {
    lines.push('', 'Receipt');
    for (const l of r.lines) {
      lines.push(
        `  ${l.name.padEnd(28)} ${l.quantity.padStart(6)} ${l.unit.padEnd(4)} × ${formatMinor(l.unitPriceMinor, r.currency)}/${l.pricingUnit}  ${formatMinor(l.totalMinor, r.currency).padStart(9)}`,
      );
      for (const d of l.discounts) lines.push(`      ${d.name}  -${formatMinor(d.amountMinor, r.currency)}`);
    }
    for (const n of r.notCharged) lines.push(`  (not charged) ${n.itemId}: ${n.reason}`);
    lines.push(
      `  Subtotal ${money(r.subtotalMinor, r.currency)}   Savings ${money(r.savingsMinor, r.currency)}   Tax ${money(r.taxMinor, r.currency)}   Total ${money(r.totalMinor, r.currency)}`,
      `  Paid by ${r.payment.method}: captured ${money(r.payment.capturedMinor, r.currency)}, outstanding ${money(r.payment.outstandingMinor, r.currency)}`,
    );
  }
  if (p.ledger?.length) {
    lines.push('', 'Payment ledger');
    for (const e of p.ledger)
      lines.push(
        `  ${e.created_at}  ${e.operation.padEnd(9)} ${e.outcome.padEnd(8)} ${money(e.amount_minor, e.currency).padStart(12)}  ${e.idempotency_key}${e.decline_reason ? `  (${e.decline_reason})` : ''}`,
      );
  }
  if (p.replays?.length) lines.push('', ...p.replays.map((x: any) => `Replayed by ${x.by} at ${x.at}`));
  return lines.join('\n');
}

export function registerPurchaseCommands(program: Command): void {
  const purchases = program.command('purchases').description('find, inspect and replay purchases');
  purchases
    .command('list')
    .description('list purchases, newest first')
    .option(
      '--status <status>',
      'FAILED, BAD_CART, CAPTURED, DEBT, EMPTY, WRITTEN_OFF, NOT_CHARGED, CASH_DUE, RECEIVED, PRICED (case-insensitive)',
    )
    .option('--store <id>', 'store id')
    .option('--since <time>', 'ISO time')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON')
    .action(async (o: { status?: string; store?: string; since?: string; limit: string; json?: boolean }) => {
      const query = new URLSearchParams({ limit: o.limit });
      if (o.status) query.set('status', o.status.toUpperCase().replace('-', '_'));
      if (o.store) query.set('store', o.store);
      if (o.since) query.set('since', o.since);
      const rows: any[] = await opsClient().get(`/ops/v1/purchases?${query}`);
      if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (!rows.length) return void process.stdout.write('no purchases\n');
      process.stdout.write(
        `${table([['CREATED', 'TRIP', 'PURCHASE', 'STORE', 'SHOPPER', 'STATUS', 'TOTAL'], ...rows.map((p) => [new Date(p.createdAt).toISOString(), p.tripId, p.purchaseId || '-', p.storeId, p.shopperId ?? '-', p.status, money(p.totalMinor, p.currency)])])}\n`,
      );
    });
  purchases
    .command('show <tripOrPurchaseId>')
    .description('a purchase: receipt, pricing breakdown, payment ledger, workflow address')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const purchase = await opsClient().get(`/ops/v1/purchases/${encodeURIComponent(id)}`);
      process.stdout.write(o.json ? `${JSON.stringify(purchase, null, 2)}\n` : `${receiptText(purchase)}\n`);
    });
  purchases
    .command('replay [tripId]')
    .description('re-run a failed purchase from its recorded request with the current code (never charges twice)')
    .option('--all-failed', 'replay every FAILED purchase')
    .option('--since <time>', 'with --all-failed: only those created since this ISO time')
    .option(
      '--force',
      'replay although it is not recorded as FAILED or Temporal cannot say whether it runs (needs --reason; audited)',
    )
    .option('--reason <text>', 'why the replay is forced')
    .action(
      async (
        tripId: string | undefined,
        o: { allFailed?: boolean; since?: string; force?: boolean; reason?: string },
      ) => {
        const client = opsClient();
        if (!tripId && !o.allFailed) throw new Error('give a trip id or --all-failed');
        if (o.force && !o.reason?.trim())
          throw new Error('--force needs --reason <text> (it is recorded in the audit log)');
        if (o.force && o.allFailed) throw new Error('--force replays one trip at a time: give its trip id');
        const trips = tripId
          ? [tripId]
          : (
              await client.get<any[]>(
                `/ops/v1/purchases?status=FAILED&limit=1000${o.since ? `&since=${encodeURIComponent(o.since)}` : ''}`,
              )
            ).map((p) => p.tripId);
        if (!trips.length) return void process.stdout.write('no failed purchases\n');
        for (const trip of trips) {
          // Replayed under the name of the operator credential (JWO_OPERATOR_KEY / JWO_OPERATOR_TOKEN).
          const body = o.force ? { force: true, reason: o.reason } : {};
          const run = await client.post(`/ops/v1/purchases/${encodeURIComponent(trip)}/replay`, body);
          process.stdout.write(`replaying ${run.tripId} (workflow ${run.workflowId}, run ${run.runId})\n`);
        }
      },
    );

  const badcarts = program
    .command('badcarts')
    .description('carts with unknown or unpriceable items, waiting for a decision');
  badcarts
    .command('list')
    .option('--status <status>', 'OPEN, RESOLVED or ALL', 'OPEN')
    .option('--json', 'print JSON')
    .action(async (o: { status: string; json?: boolean }) => {
      const rows: any[] = await opsClient().get(
        `/ops/v1/badcarts?status=${encodeURIComponent(o.status.toUpperCase())}`,
      );
      if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      if (!rows.length) return void process.stdout.write('no bad carts\n');
      for (const b of rows) {
        process.stdout.write(
          `${b.tripId}  ${b.storeId}  ${b.status}  deadline ${b.deadline}${b.decidedBy ? `  decided by ${b.decidedBy}: ${b.decision?.decision}` : ''}\n`,
        );
        for (const p of b.problems) process.stdout.write(`    ${p.lineId}: ${p.reason} ${p.detail}\n`);
      }
    });
  badcarts
    .command('resolve <tripId>')
    .description('decide: charge the known lines, correct SKUs and re-price, or write off and void')
    .requiredOption('--decision <decision>', 'charge-known | correct | write-off')
    .option(
      '--set <lineId=sku...>',
      'with correct: the SKU for a problem line (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--note <text>', 'why')
    .action(async (tripId: string, o: { decision: string; set: string[]; note?: string }) => {
      const decision = o.decision.toUpperCase().replace('-', '_');
      const corrections = o.set.map((pair) => {
        const [lineId, sku] = pair.split('=');
        if (!lineId || !sku) throw new Error(`--set ${pair}: expected lineId=sku`);
        return { lineId, sku };
      });
      const progress = await opsClient().post(`/ops/v1/badcarts/${encodeURIComponent(tripId)}/resolve`, {
        decision,
        note: o.note,
        ...(decision === 'CORRECT' ? { corrections } : {}),
      });
      process.stdout.write(`decision ${decision} accepted for ${tripId} (status ${progress.status})\n`);
    });

  const shoppers = program.command('shoppers').description('shopper accounts');
  shoppers
    .command('settle <shopperId>')
    .description("mark the shopper's unpaid balances as settled, so the gate lets them in again")
    .action(async (shopperId: string) => {
      const { settled } = await opsClient().post(`/ops/v1/shoppers/${encodeURIComponent(shopperId)}/settle`, {});
      process.stdout.write(
        settled.length
          ? settled.map((d: any) => `settled trip ${d.tripId}: ${d.amountMinor} minor units\n`).join('')
          : 'no open balance\n',
      );
    });
}
