/**
 * Refunds (`jwo purchases refund`, POST /ops/v1/purchases/:tripId/refunds, role operator): the
 * whole purchase, some of its lines (a quantity of each), or an amount, through the payment gateway
 * and its ledger; never more than was captured and not yet refunded, nor more of a line than was
 * bought and not yet refunded.
 *
 * Idempotent: a request is keyed by what it refunds (trip, lines and quantities, or amount, or
 * "the whole", and an optional requestId to refund the same thing again on purpose), so the same
 * request twice refunds once and answers the first refund. How the amount is split over the trip's
 * payments (its capture, its charges) is fixed and recorded when the request is first seen; if the
 * gateway's answer is lost (outcome unknown), the request stays PENDING and running it again sends
 * the same calls under the same keys. The refund is recorded on the receipt (the app shows it), in
 * the ledger, and in the audit log.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import type { Payments } from '../adapters/payments/ledger';
import { tripPayments } from '../adapters/payments/ledger';
import { findPurchase } from '../adapters/purchases/purchaseStore';
import { currencyExponent } from '../domain/money';
import type { Receipt, ReceiptRefund } from '../domain/receipt';
import { InvalidRequest, NotFound, StateConflict } from './errors';

export interface RefundRequest {
  lines?: { lineId: string; quantity: string }[];
  /** An amount in major units ("12.50"), in the purchase's currency. */
  amount?: string;
  reason: string;
  /** Refund the same lines or amount again on purpose (a second, separate refund). */
  requestId?: string;
}

export interface RefundResult {
  refundId: string;
  tripId: string;
  status: 'REFUNDED' | 'DECLINED' | 'PENDING';
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  lines: ReceiptRefund['lines'];
  declineCode: string | null;
  /** True when this request had been made before: nothing more was refunded. */
  repeated: boolean;
}

interface Part {
  paymentId: string;
  amountMinor: number;
  idempotencyKey: string;
}

/** Purchases whose card was (at least partly) charged. */
const REFUNDABLE_STATUSES = ['CAPTURED', 'DEBT'];

const decimal = /^\d+(\.\d+)?$/;

function toMinorUnits(amount: string, currency: string): number {
  if (!decimal.test(amount))
    throw new InvalidRequest([{ field: 'amount', reason: 'must be a decimal amount like 12.50' }]);
  const exponent = currencyExponent(currency);
  const [whole, fraction = ''] = amount.split('.');
  if (fraction.length > exponent)
    throw new InvalidRequest([{ field: 'amount', reason: `${currency} has ${exponent} decimal places` }]);
  return Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
}

/** The request's identity: what it refunds, not how it is worded (the reason is not part of it). */
export function refundKey(tripId: string, request: RefundRequest): string {
  const canonical = JSON.stringify({
    lines: [...(request.lines ?? [])]
      .map((l) => [l.lineId, String(Number(l.quantity))])
      .sort((a, b) => a[0].localeCompare(b[0])),
    amount: request.amount ? String(Number(request.amount)) : null,
    requestId: request.requestId ?? null,
  });
  return `refund:${tripId}:${createHash('sha256').update(canonical).digest('hex').slice(0, 24)}`;
}

interface RefundRow {
  refund_key: string;
  trip_id: string;
  amount_minor: string | number;
  currency: string;
  lines: ReceiptRefund['lines'];
  reason: string;
  status: 'PENDING' | 'REFUNDED' | 'DECLINED';
  parts: Part[];
  refunded_minor: string | number;
  decline_code: string | null;
  created_at: Date;
}

const resultOf = (row: RefundRow, repeated: boolean): RefundResult => ({
  refundId: row.refund_key,
  tripId: row.trip_id,
  status: row.status,
  amountMinor: Number(row.amount_minor),
  refundedMinor: Number(row.refunded_minor),
  currency: row.currency,
  lines: row.lines,
  declineCode: row.decline_code,
  repeated,
});

/** What the request refunds, in minor units, with the lines it names (checked against the receipt and earlier refunds). */
function amountOf(
  receipt: Receipt,
  request: RefundRequest,
  earlier: RefundRow[],
  refundableMinor: number,
): { amountMinor: number; lines: ReceiptRefund['lines'] } {
  if (request.lines?.length && request.amount !== undefined)
    throw new InvalidRequest([{ field: 'amount', reason: 'refund either lines or an amount, not both' }]);
  if (request.amount !== undefined) return { amountMinor: toMinorUnits(request.amount, receipt.currency), lines: [] };
  if (!request.lines?.length) return { amountMinor: refundableMinor, lines: [] };
  const lines: ReceiptRefund['lines'] = [];
  for (const [i, wanted] of request.lines.entries()) {
    const line = receipt.lines.find((l) => l.lineId === wanted.lineId);
    if (!line)
      throw new InvalidRequest([{ field: `lines[${i}].lineId`, reason: `no line ${wanted.lineId} on the receipt` }]);
    const quantity = Number(wanted.quantity);
    if (!decimal.test(wanted.quantity) || !(quantity > 0))
      throw new InvalidRequest([{ field: `lines[${i}].quantity`, reason: 'must be a positive decimal' }]);
    const before = earlier.flatMap((r) => r.lines).filter((l) => l.lineId === line.lineId);
    const quantityBefore = before.reduce((sum, l) => sum + Number(l.quantity), 0);
    const amountBefore = before.reduce((sum, l) => sum + l.amountMinor, 0);
    const bought = Number(line.quantity);
    if (quantity > bought - quantityBefore + 1e-9)
      throw new StateConflict(
        `line ${line.lineId}: ${quantity} asked, ${bought} bought and ${quantityBefore} already refunded`,
      );
    // The last of a line refunds what is left of its total exactly (no rounding drift).
    const amountMinor =
      Math.abs(quantity - (bought - quantityBefore)) < 1e-9
        ? line.totalMinor - amountBefore
        : Math.round((line.totalMinor * quantity) / bought);
    lines.push({ lineId: line.lineId, quantity: wanted.quantity, amountMinor });
  }
  return { amountMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0), lines };
}

export async function refundPurchase(
  deps: { db: Database; payments: Payments },
  tripOrPurchaseId: string,
  request: RefundRequest,
  actor: Actor,
): Promise<RefundResult> {
  const { db, payments } = deps;
  const purchase = await findPurchase(db, tripOrPurchaseId);
  if (!purchase) throw new NotFound(`no purchase with trip id or purchase id ${tripOrPurchaseId}`);
  const tripId = purchase.tripId;
  const key = refundKey(tripId, request);

  // Recorded once, with its split over the payments, under a lock on the purchase.
  const { row, repeated } = await db.transaction(async (tx) => {
    const [locked] = await tx.query<{ status: string; receipt: Receipt | null }>(
      'SELECT status, receipt FROM purchases WHERE trip_id = $1 FOR UPDATE',
      [tripId],
    );
    const [existing] = await tx.query<RefundRow>('SELECT * FROM refunds WHERE refund_key = $1', [key]);
    if (existing) return { row: existing, repeated: true };
    if (!REFUNDABLE_STATUSES.includes(locked.status) || !locked.receipt)
      throw new StateConflict(`purchase ${tripId} is ${locked.status}: nothing was captured to refund`);
    const earlier = await tx.query<RefundRow>("SELECT * FROM refunds WHERE trip_id = $1 AND status <> 'DECLINED'", [
      tripId,
    ]);
    const claimed = new Map<string, number>();
    for (const part of earlier.flatMap((r) => r.parts))
      claimed.set(part.paymentId, (claimed.get(part.paymentId) ?? 0) + part.amountMinor);
    const available = (await tripPayments(tx, tripId)).map((p) => ({
      ...p,
      leftMinor: p.takenMinor - Math.max(p.refundedMinor, claimed.get(p.paymentId) ?? 0),
    }));
    const refundableMinor = available.reduce((sum, p) => sum + Math.max(0, p.leftMinor), 0);
    const { amountMinor, lines } = amountOf(locked.receipt, request, earlier, refundableMinor);
    if (amountMinor <= 0) throw new StateConflict(`nothing left to refund on purchase ${tripId}`);
    if (amountMinor > refundableMinor)
      throw new StateConflict(
        `refund of ${amountMinor} asked, but only ${refundableMinor} of what was captured on ${tripId} is not yet refunded`,
      );
    // Latest payment first (a charge of the rest before the capture of the pre-auth).
    const parts: Part[] = [];
    let left = amountMinor;
    for (const p of [...available].reverse()) {
      if (left === 0) break;
      const take = Math.min(left, Math.max(0, p.leftMinor));
      if (take > 0) parts.push({ paymentId: p.paymentId, amountMinor: take, idempotencyKey: `${key}:${parts.length}` });
      left -= take;
    }
    const [inserted] = await tx.query<RefundRow>(
      `INSERT INTO refunds (refund_key, trip_id, amount_minor, currency, lines, reason, operator, status, parts)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, 'PENDING', $8::jsonb) RETURNING *`,
      [
        key,
        tripId,
        amountMinor,
        locked.receipt.currency,
        JSON.stringify(lines),
        request.reason,
        actor.name,
        JSON.stringify(parts),
      ],
    );
    await recordAudit(tx, {
      actor,
      action: 'purchase.refund',
      subject: { type: 'trip', id: tripId },
      reason: request.reason,
      details: { refundId: key, amountMinor, currency: locked.receipt.currency, lines, parts },
    });
    return { row: inserted, repeated: false };
  });
  if (row.status !== 'PENDING') return resultOf(row, repeated);

  // The gateway calls: each part under its own key (a rerun after a lost answer repeats them).
  let refundedMinor = 0;
  let declineCode: string | null = null;
  for (const part of row.parts) {
    const outcome = await payments.refund({
      idempotencyKey: part.idempotencyKey,
      paymentId: part.paymentId,
      amountMinor: part.amountMinor,
      currency: row.currency,
      tripId,
      reason: row.reason,
    });
    if (outcome.outcome === 'APPROVED') refundedMinor += part.amountMinor;
    else declineCode ??= outcome.code;
  }
  const status = refundedMinor > 0 ? 'REFUNDED' : 'DECLINED';
  const settled = await db.transaction(async (tx) => {
    const [updated] = await tx.query<RefundRow>(
      `UPDATE refunds SET status = $2, refunded_minor = $3, decline_code = $4, updated_at = now()
        WHERE refund_key = $1 RETURNING *`,
      [key, status, refundedMinor, declineCode],
    );
    // The receipt lists every refund that gave money back.
    const done = await tx.query<RefundRow>(
      "SELECT * FROM refunds WHERE trip_id = $1 AND status = 'REFUNDED' ORDER BY created_at, refund_key",
      [tripId],
    );
    const refunds: ReceiptRefund[] = done.map((r) => ({
      refundId: r.refund_key,
      at: new Date(r.created_at).toISOString(),
      amountMinor: Number(r.refunded_minor),
      lines: r.lines,
      reason: r.reason,
    }));
    await tx.query("UPDATE purchases SET receipt = jsonb_set(receipt, '{refunds}', $2::jsonb) WHERE trip_id = $1", [
      tripId,
      JSON.stringify(refunds),
    ]);
    return updated;
  });
  return resultOf(settled, repeated);
}
