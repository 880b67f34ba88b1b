/**
 * PurchaseWorkflow (id purchase-<idempotentShoppingTripId>): prices the cart on the POS, routes
 * carts with unknown or unpriceable lines to bad-cart review, takes the money from the payer
 * (capture against the pre-auth, adjust, or direct charge), records the purchase and receipt,
 * and tells the trip's entry workflows that the trip is closed.
 *
 * Read top-down: purchaseWorkflow → checkOut → findTrip, priceOrReview (priceCart, reviewBadCart),
 * then settle, chargeNothing or failPurchase, and closeTrip. The decisions (who pays, which
 * pre-auths to void, status and receipt) are pure functions in src/domain/settlement.ts.
 *
 * Running purchases replay the commands recorded by earlier versions of this code
 * (test/histories): the order and kind of activities, timers, signals and search attribute upserts
 * must stay as they are, or the change needs patched().
 */
import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PricingResult } from '../domain/pricing';
import { notChargedLines, type Receipt } from '../domain/receipt';
import {
  heldAuthorizationIds,
  planSettlement,
  settlementOutcome,
  tripShopperId,
  type HeldAuthorization,
  type TripVisitor,
} from '../domain/settlement';
import { tripClosedSignal } from '../shared/entryMessages';
import {
  purchaseStatusQuery,
  resolveBadCartUpdate,
  type BadCartDecision,
  type CartProblem,
  type PurchaseInput,
  type PurchaseProgress,
  type PurchaseStatus,
} from '../shared/purchaseMessages';
import { PurchaseStatusKey } from '../shared/searchAttributes';
import { entryWorkflowId } from '../shared/workflowIds';
import { paymentCall, posCall, preAuthPolling, storeCall } from './activityOptions';

type Activities = ReturnType<typeof createActivities>;
const store = proxyActivities<Activities>(storeCall);
const pos = proxyActivities<Activities>(posCall);
const pay = proxyActivities<Activities>(paymentCall);
const preAuthLookup = proxyActivities<Activities>(preAuthPolling);

/** One purchase's input and the progress its query and update handlers see. */
interface Purchase {
  input: PurchaseInput;
  progress: PurchaseProgress;
}

/** Who came in on the trip, the pre-auths placed for them, and the shopper the purchase is recorded for. */
interface Trip {
  visitors: TripVisitor[];
  authorizations: HeldAuthorization[];
  shopperId: string | null;
}

type Correction = { lineId: string; sku: string };

/** One pricing of the cart: priced (possibly with problem lines), or refused as a whole by the POS. */
type PriceAttempt =
  { kind: 'PRICED'; pricing: PricingResult; problems: CartProblem[] } | { kind: 'REFUSED'; problems: CartProblem[] };

/** Where pricing and bad-cart review end: something to charge, nothing to charge, or a visible failure. */
type PricingOutcome =
  | { kind: 'PRICED'; pricing: PricingResult; notCharged: Receipt['notCharged'] }
  | { kind: 'WRITTEN_OFF'; decision: BadCartDecision }
  | { kind: 'FAILED'; failure: string };

export async function purchaseWorkflow(input: PurchaseInput): Promise<PurchaseProgress> {
  const purchase: Purchase = {
    input,
    progress: {
      status: 'RECEIVED',
      purchaseId: input.purchaseId,
      totalMinor: null,
      capturedMinor: 0,
      problems: [],
      badCartDecision: null,
    },
  };
  registerHandlers(purchase);
  try {
    await checkOut(purchase);
  } catch (err) {
    // A bug in workflow code fails only the workflow task: Temporal retries it once the code is fixed.
    if (!(err instanceof ActivityFailure)) throw err;
    // An activity out of retries (or refused for good) fails the run, visibly to operators
    // (`jwo purchases list --status FAILED`) who can replay it once the cause is fixed.
    await failPurchase(purchase, null, err.cause?.message ?? err.message);
    await condition(allHandlersFinished);
    throw err;
  }
  // A decision being handled as the purchase ends must still get its answer.
  await condition(allHandlersFinished);
  return purchase.progress;
}

/** The status query, and the bad-cart decision update with its validator (a refused decision changes nothing). */
function registerHandlers({ input, progress }: Purchase): void {
  setHandler(purchaseStatusQuery, () => progress);
  setHandler(
    resolveBadCartUpdate,
    (decision) => {
      progress.badCartDecision = decision;
      return progress;
    },
    { validator: (decision: BadCartDecision) => validateDecision(input.tripId, progress, decision) },
  );
}

function validateDecision(tripId: string, progress: PurchaseProgress, decision: BadCartDecision): void {
  if (progress.status !== 'BAD_CART' || progress.badCartDecision) {
    throw new Error(`trip ${tripId} is not waiting for a bad-cart decision (status ${progress.status})`);
  }
  if (decision.decision === 'CORRECT') {
    const open = new Set(progress.problems.map((p) => p.lineId));
    const unknown = decision.corrections.filter((c) => !open.has(c.lineId));
    if (decision.corrections.length === 0 || unknown.length) {
      throw new Error(`corrections must name the problem lines (${[...open].join(', ')})`);
    }
  }
}

/** The whole purchase, from the trip's visitors to the closed trip. */
async function checkOut(purchase: Purchase): Promise<void> {
  const trip = await findTrip(purchase.input);
  if (purchase.input.request.cartItems.length === 0) {
    // Empty cart: nothing to charge; release every pre-auth (purchaseId "" was already answered).
    await chargeNothing(purchase, trip, 'EMPTY');
    return closeTrip(purchase.input.tripId, trip.visitors);
  }
  const priced = await priceOrReview(purchase);
  switch (priced.kind) {
    case 'PRICED':
      await settle(purchase, trip, priced);
      return closeTrip(purchase.input.tripId, trip.visitors);
    case 'WRITTEN_OFF':
      await chargeNothing(purchase, trip, 'WRITTEN_OFF', `written off by ${priced.decision.operator}`);
      return closeTrip(purchase.input.tripId, trip.visitors);
    case 'FAILED':
      // Nothing is voided and the trip stays open: a replay, once the cause is fixed, still finds the pre-auth.
      return failPurchase(purchase, trip.shopperId, priced.failure);
  }
}

async function findTrip({ request }: PurchaseInput): Promise<Trip> {
  const visitors = await store.resolveVisitors(request.shoppingTrip.authEvents);
  const shopperId = tripShopperId(visitors);
  const authorizations = await findAuthorizationsOrNone(request.shoppingTrip.authEvents.map((e) => e.id));
  return { visitors, authorizations, shopperId };
}

async function findAuthorizationsOrNone(authEventIds: string[]): Promise<HeldAuthorization[]> {
  try {
    return await preAuthLookup.findTripAuthorizations(authEventIds);
  } catch (err) {
    if (err instanceof ActivityFailure) return []; // entry workflows never finished: charge directly
    throw err;
  }
}

/**
 * Prices the cart and, while lines cannot be priced, waits for an operator's decision (or the
 * deadline's default) on it: CORRECT prices it again with the corrected SKUs, CHARGE_KNOWN charges
 * the priced lines, WRITE_OFF charges nothing.
 */
async function priceOrReview(purchase: Purchase, corrections: Correction[] = []): Promise<PricingOutcome> {
  const attempt = await priceCart(purchase.input, corrections);
  if (attempt.kind === 'PRICED' && attempt.problems.length === 0) {
    return { kind: 'PRICED', pricing: attempt.pricing, notCharged: [] };
  }
  const { decision, decided } = await reviewBadCart(purchase, attempt.problems);
  switch (decision.decision) {
    case 'WRITE_OFF':
      return { kind: 'WRITTEN_OFF', decision };
    case 'CORRECT':
      return priceOrReview(purchase, withCorrections(corrections, decision.corrections));
    case 'CHARGE_KNOWN':
      if (attempt.kind === 'PRICED') {
        return { kind: 'PRICED', pricing: attempt.pricing, notCharged: notChargedLines(attempt.problems) };
      }
      // The POS refused the whole cart, so nothing is known to charge. An operator's "charge" means
      // "the POS is fixed, price it again"; the deadline's default must not loop forever: the
      // purchase fails, visibly, for a replay once the POS accepts the cart.
      if (decided) return priceOrReview(purchase, corrections);
      return { kind: 'FAILED', failure: 'the POS refused the cart and no decision came before the deadline' };
  }
}

/** Resolves the cart against the catalog (with any corrections) and prices it on the POS. */
async function priceCart(input: PurchaseInput, corrections: Correction[]): Promise<PriceAttempt> {
  const { storeId, request } = input;
  const cart = await store.resolveCart({ storeId, cartItems: request.cartItems, corrections });
  try {
    const pricing = await pos.priceLines({ storeId, at: request.shoppingTrip.endTime, lines: cart.lines });
    return { kind: 'PRICED', pricing, problems: [...cart.problems, ...unpriceableLines(pricing)] };
  } catch (err) {
    // A cart the POS refuses (4xx) goes to review; any other error is purchaseWorkflow's to handle.
    if (!(err instanceof ActivityFailure) || (err.cause as ApplicationFailure)?.type !== 'PosRejectedCart') throw err;
    const detail = (err.cause as Error).message;
    const refused: CartProblem = { lineId: '*', itemId: '*', reason: 'POS_REJECTED', detail };
    return { kind: 'REFUSED', problems: [...cart.problems, refused] };
  }
}

const unpriceableLines = (pricing: PricingResult): CartProblem[] =>
  pricing.unpriceable.map((u) => ({ lineId: u.lineId, itemId: u.sku, reason: u.reason, detail: u.detail }));

/** A later correction of a line replaces the earlier one. */
const withCorrections = (earlier: Correction[], later: Correction[]): Correction[] => [
  ...earlier.filter((c) => !later.some((d) => d.lineId === c.lineId)),
  ...later,
];

/** Puts the cart in BAD_CART review and waits for a decision until the deadline, then applies the default. */
async function reviewBadCart(
  { input, progress }: Purchase,
  problems: CartProblem[],
): Promise<{ decision: BadCartDecision; decided: boolean }> {
  const { tripId, storeId } = input;
  // Open for decisions before the review record is visible, so an operator never sees a cart that refuses them.
  progress.problems = problems;
  progress.badCartDecision = null;
  setStatus(progress, 'BAD_CART');
  const deadline = new Date(Date.now() + input.badCartDeadlineMs).toISOString();
  await store.recordBadCart({ tripId, storeId, problems, deadline });
  const decided = await condition(() => progress.badCartDecision !== null, input.badCartDeadlineMs);
  const decision: BadCartDecision = decided
    ? progress.badCartDecision!
    : { decision: input.badCartDefault, operator: 'deadline', note: 'no decision before the deadline' };
  progress.badCartDecision = decision;
  await store.closeBadCart({ tripId, decision });
  return { decision, decided };
}

/** Takes the total from whoever pays (or records why nobody does) and records the purchase with its receipt. */
async function settle(
  { input, progress }: Purchase,
  trip: Trip,
  { pricing, notCharged }: Extract<PricingOutcome, { kind: 'PRICED' }>,
): Promise<void> {
  const { tripId } = input;
  progress.totalMinor = pricing.totalMinor;
  setStatus(progress, 'PRICED');

  const plan = planSettlement(trip.visitors, trip.authorizations);
  if (plan.voids.length) await pay.voidAuthorizations({ tripId, authorizationIds: plan.voids });
  const card =
    plan.kind === 'CARD'
      ? await pay.settleByCard({
          tripId,
          shopperId: plan.payer.shopperId,
          authorization: plan.authorization,
          totalMinor: pricing.totalMinor,
          currency: pricing.currency,
        })
      : null;
  if (card) progress.capturedMinor = card.capturedMinor;

  const header = {
    purchaseId: input.purchaseId,
    tripId,
    storeId: input.storeId,
    shopperId: trip.shopperId,
    tripEndedAt: input.request.shoppingTrip.endTime,
  };
  const { status, receipt, debt, failure } = settlementOutcome(plan, card, pricing, header, notCharged);
  await store.recordOutcome({ tripId, status, shopperId: trip.shopperId, receipt, debt, failure });
  setStatus(progress, status);
}

/** An empty or written-off cart: every pre-auth still held is voided and no receipt is made. */
async function chargeNothing(
  { input, progress }: Purchase,
  trip: Trip,
  status: 'EMPTY' | 'WRITTEN_OFF',
  failure?: string,
): Promise<void> {
  const { tripId } = input;
  await pay.voidAuthorizations({ tripId, authorizationIds: heldAuthorizationIds(trip.authorizations) });
  await store.recordOutcome({ tripId, status, shopperId: trip.shopperId, receipt: null, failure });
  setStatus(progress, status);
}

/** Records the purchase as FAILED, for operators to find and replay. */
async function failPurchase({ input, progress }: Purchase, shopperId: string | null, failure: string): Promise<void> {
  await store.recordOutcome({ tripId: input.tripId, status: 'FAILED', shopperId, receipt: null, failure });
  setStatus(progress, 'FAILED');
}

/** Tells each visitor's entry workflow that the trip is closed, so it stops holding the pre-auth for it. */
async function closeTrip(tripId: string, visitors: TripVisitor[]): Promise<void> {
  for (const visitor of visitors) {
    try {
      await getExternalWorkflowHandle(entryWorkflowId(visitor.authEventId)).signal(tripClosedSignal, { tripId });
    } catch {
      // No entry workflow for this auth event (associate, cash shopper, or the gate default let them in).
    }
  }
}

/** The status operators see, in the query and in the PurchaseStatus search attribute. */
function setStatus(progress: PurchaseProgress, status: PurchaseStatus): void {
  progress.status = status;
  upsertSearchAttributes([{ key: PurchaseStatusKey, value: status }]);
}
