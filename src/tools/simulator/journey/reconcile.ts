/**
 * The end-of-run reconciliation (pure): what the simulator expected from each trip against what the
 * connector recorded: admitted at the gate, one purchase per trip whatever Amazon's retries and
 * duplicates, the status, every receipt line and total against the independent bill, the money in
 * the payment ledger (captured, voided pre-auths, declines) and the bad carts. Any difference is a
 * mismatch, listed by trip.
 */
import type { ExpectedBill } from './expectedBill';
import type { CardBehaviour, PlannedCartItem } from './plan';

export interface ReceiptLine {
  lineId: string;
  sku: string;
  grossMinor: number;
  discounts: { amountMinor: number }[];
  taxMinor: number;
  totalMinor: number;
}

export interface LedgerEntry {
  operation: string;
  outcome: string;
  amountMinor: number;
}

export interface ObservedPurchase {
  status: string;
  purchaseId: string;
  totalMinor: number | null;
  receiptLines: ReceiptLine[] | null;
  ledger: LedgerEntry[];
}

export interface TripRecord {
  tripId: string;
  shopperId: string;
  card: CardBehaviour;
  cart: PlannedCartItem[];
  /** The independent bill of the known lines; null for an empty cart. */
  expected: ExpectedBill | null;
  /** The gate's answer; a repeated scan (gate retry) must have got the same answer (null: not repeated). */
  gate: { status: number; visitorId: string | null; repeatAgreed: boolean | null };
  /** Answers Amazon received to its Create Purchases deliveries (attempts it gave up on are not here). */
  deliveries: { status: number; purchaseId: string | null }[];
  /** The connector's record once settled; null if it never recorded the trip. */
  purchase: ObservedPurchase | null;
  badCartRecorded: boolean;
  /** Why the visit stopped early (the app backend refused a code, the connector was unreachable…). */
  failure?: string;
}

export interface Reconciliation {
  entries: { scanned: number; admitted: number };
  purchases: { sent: number; recorded: number; byStatus: Record<string, number> };
  captured: { expectedMinor: number; actualMinor: number };
  voidedPreAuths: { expected: number; actual: number };
  badCarts: { expected: number; actual: number };
  declines: { expected: number; actual: number };
  mismatches: string[];
  /** The connector's own ledger audit over the run (`jwo ledger audit`); its violations are mismatches too. */
  ledgerAudit?: { tripsChecked: number; violations: number };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

const capturedMinor = (ledger: LedgerEntry[]) =>
  sum(
    ledger
      .filter((e) => (e.operation === 'CAPTURE' || e.operation === 'CHARGE') && e.outcome === 'APPROVED')
      .map((e) => e.amountMinor),
  );
/** A void of an authorization already closed is recorded with amount 0: it released nothing. */
const voidsReleasingMoney = (ledger: LedgerEntry[]) =>
  ledger.filter((e) => e.operation === 'VOID' && e.outcome === 'APPROVED' && e.amountMinor > 0).length;

function expectedStatus(trip: TripRecord): string {
  if (trip.cart.length === 0) return 'EMPTY';
  return trip.card === 'DECLINES_AT_CAPTURE' ? 'DEBT' : 'CAPTURED';
}

/** Every way the receipt's lines differ from the independent bill, line by line. */
export function receiptDifferences(expected: ExpectedBill, lines: readonly ReceiptLine[]): string[] {
  const differences: string[] = [];
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  for (const want of expected.lines) {
    const got = byId.get(want.lineId);
    if (!got) {
      differences.push(`line ${want.lineId} (${want.sku}) is missing from the receipt`);
      continue;
    }
    const actual = {
      sku: got.sku,
      grossMinor: got.grossMinor,
      discountMinor: sum(got.discounts.map((d) => d.amountMinor)),
      taxMinor: got.taxMinor,
      totalMinor: got.totalMinor,
    };
    for (const field of ['sku', 'grossMinor', 'discountMinor', 'taxMinor', 'totalMinor'] as const) {
      if (actual[field] !== want[field])
        differences.push(`line ${want.lineId} ${field}: receipt ${actual[field]}, expected ${want[field]}`);
    }
  }
  const wanted = new Set(expected.lines.map((l) => l.lineId));
  for (const line of lines)
    if (!wanted.has(line.lineId))
      differences.push(`line ${line.lineId} (${line.sku}) is on the receipt but should not be charged`);
  return differences;
}

function tripMismatches(trip: TripRecord): string[] {
  const problems: string[] = [];
  if (trip.failure) return [trip.failure];
  if (trip.gate.status !== 200) return [`gate answered ${trip.gate.status}`];
  if (trip.gate.visitorId !== trip.shopperId)
    problems.push(`gate admitted ${trip.gate.visitorId} instead of ${trip.shopperId}`);
  if (trip.gate.repeatAgreed === false) problems.push('a repeated gate scan got a different answer');

  const empty = trip.cart.length === 0;
  const refused = trip.deliveries.filter((d) => d.status !== 201);
  if (refused.length) problems.push(`Create Purchases answered ${refused.map((d) => d.status).join(', ')}`);
  const purchaseIds = new Set(trip.deliveries.filter((d) => d.status === 201).map((d) => d.purchaseId));
  if (purchaseIds.size > 1)
    problems.push(`deliveries of one trip got different purchaseIds: ${[...purchaseIds].join(', ')}`);
  const answered = [...purchaseIds][0];
  if (answered !== undefined && (answered === '') !== empty)
    problems.push(`purchaseId "${answered}" for ${empty ? 'an empty' : 'a non-empty'} cart`);

  const purchase = trip.purchase;
  if (!purchase) return [...problems, 'the connector has no purchase for the trip'];
  if (answered !== undefined && purchase.purchaseId !== answered)
    problems.push(`recorded purchaseId ${purchase.purchaseId} differs from the answered ${answered}`);
  const status = expectedStatus(trip);
  if (purchase.status !== status) problems.push(`status ${purchase.status}, expected ${status}`);

  const expectedTotal = trip.expected?.totalMinor ?? 0;
  if (trip.expected) {
    if (purchase.totalMinor !== expectedTotal) problems.push(`total ${purchase.totalMinor}, expected ${expectedTotal}`);
    if (!purchase.receiptLines) problems.push('no receipt');
    else problems.push(...receiptDifferences(trip.expected, purchase.receiptLines));
  }
  const captured = capturedMinor(purchase.ledger);
  const shouldCapture = status === 'CAPTURED' ? expectedTotal : 0;
  if (captured !== shouldCapture) problems.push(`captured ${captured}, expected ${shouldCapture}`);
  const voids = voidsReleasingMoney(purchase.ledger);
  if (voids !== (empty ? 1 : 0)) problems.push(`${voids} pre-auth voids, expected ${empty ? 1 : 0}`);
  const badCart = trip.cart.some((item) => item.sku === null);
  if (trip.badCartRecorded !== badCart)
    problems.push(
      badCart ? 'the unknown item did not make a bad cart' : 'a bad cart was recorded for a cart of known items',
    );
  return problems;
}

export function reconcile(trips: readonly TripRecord[]): Reconciliation {
  const admitted = trips.filter((t) => t.gate.status === 200);
  const recorded = trips.filter((t) => t.purchase !== null);
  const byStatus: Record<string, number> = {};
  for (const trip of recorded) byStatus[trip.purchase!.status] = (byStatus[trip.purchase!.status] ?? 0) + 1;
  return {
    entries: { scanned: trips.length, admitted: admitted.length },
    purchases: { sent: admitted.length, recorded: recorded.length, byStatus },
    captured: {
      expectedMinor: sum(
        admitted.filter((t) => expectedStatus(t) === 'CAPTURED').map((t) => t.expected?.totalMinor ?? 0),
      ),
      actualMinor: sum(recorded.map((t) => capturedMinor(t.purchase!.ledger))),
    },
    voidedPreAuths: {
      expected: admitted.filter((t) => t.cart.length === 0).length,
      actual: sum(recorded.map((t) => voidsReleasingMoney(t.purchase!.ledger))),
    },
    badCarts: {
      expected: admitted.filter((t) => t.cart.some((i) => i.sku === null)).length,
      actual: trips.filter((t) => t.badCartRecorded).length,
    },
    declines: {
      expected: admitted.filter((t) => expectedStatus(t) === 'DEBT').length,
      actual: recorded.filter((t) => t.purchase!.status === 'DEBT').length,
    },
    mismatches: trips.flatMap((trip) =>
      tripMismatches(trip).map((problem) => `trip ${trip.tripId} (${trip.shopperId}): ${problem}`),
    ),
  };
}
