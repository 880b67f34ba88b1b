/**
 * PurchaseWorkflow (id purchase-<idempotentShoppingTripId>): prices the cart on the POS, routes
 * carts with unknown or unpriceable lines to bad-cart review, takes the money from the payer
 * (capture against the pre-auth, adjust, or direct charge), records the purchase and receipt,
 * and tells the trip's entry workflows that the trip is closed.
 *
 * Read top-down: purchaseWorkflow → checkOut → findTrip, priceOrReview (priceCart, reviewBadCart),
 * then settle, chargeNothing or failPurchase; settle and chargeNothing end in finish, which records
 * the outcome and closes the trip. The decisions (who pays, which pre-auths to void, status and
 * receipt) are pure functions in src/domain/settlement.ts.
 *
 * Running purchases replay the commands recorded by earlier versions of this code
 * (test/histories): the order and kind of activities, timers, signals and search attribute upserts
 * must stay as they are, or the change needs patched().
 *
 * Patch purchase-fewer-trips (decided once, in the first workflow task, so one execution never
 * mixes the two paths): the connector's own database steps run as local activities (no round trip
 * through the Temporal server each); the ledger is read once for the trip's pre-auths and, when an
 * entry workflow is still placing one, the purchase asks it for a preAuthSettled signal and waits
 * for it within preAuthWaitMs instead of polling by retries and describe(); the voids and the
 * payer's card are one activity, and so are recording the outcome and telling the trip's entry
 * workflows that it is closed (recordOutcomeAndCloseTrip, local). Payments and the POS stay normal
 * activities: they call systems outside this process, with budgets of minutes to an hour, retried
 * on any worker, each attempt and failure visible in the history; a local activity would hold the
 * workflow task and run again whenever that task is retried, which a capture must not depend on.
 * Purchases started before the patch keep the old commands to the end.
 *
 * Patch purchase-guards-money (decided once at the start too): carts that must not be charged on
 * trust go to bad-cart review with a reason of their own, and the deadline's default never charges
 * them (OPERATOR_ONLY_REASONS):
 * - NO_ADMITTED_PAYER: none of the trip's auth events was admitted by this connector's gate (the
 *   payer is only ever a shopper we admitted, never a name in Amazon's body). CHARGE_KNOWN is
 *   refused (there is nobody to charge); WRITE_OFF voids and charges nothing.
 * - POS_INCONSISTENT, and ABSURD_CART for the total: the POS answer is not trusted as a whole
 *   (priceLines checks it, src/domain/posAnswerCheck.ts). An operator's CHARGE_KNOWN means "the
 *   POS is fixed, price it again": the new answer is checked again and only charged if it passes.
 * - ABSURD_CART for a line (quantity above 9,999): the line is never sent to the POS nor charged;
 *   an operator's CHARGE_KNOWN charges the other lines, listing it as not charged.
 * The deadline's CHARGE_KNOWN fails such a purchase visibly (FAILED, nothing charged, for a replay
 * or a write-off); its WRITE_OFF writes it off. The purchase also tells the entry workflows which
 * authorization it captured (tripClosed), so they void any other (patch entry-voids-unused-preauth).
 */
import {
  ApplicationFailure,
  ActivityFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { PurchaseOutcome } from '../activities/purchaseActivities';
import type { PricingResult } from '../domain/pricing';
import { notChargedLines, type Receipt } from '../domain/receipt';
import {
  heldAuthorizationIds,
  planSettlement,
  settlementOutcome,
  tripShopperId,
  type CardResult,
  type HeldAuthorization,
  type TripVisitor,
} from '../domain/settlement';
import { preAuthRequestSignal, tripClosedSignal } from '../shared/entryMessages';
import {
  preAuthSettledSignal,
  purchaseStatusQuery,
  resolveBadCartUpdate,
  type BadCartDecision,
  type CartProblem,
  type PurchaseInput,
  type PurchaseProgress,
  type PurchaseStatus,
  type PurchaseWorkflowOptions,
  OPERATOR_ONLY_REASONS,
} from '../shared/purchaseMessages';
import { PurchaseStatusKey } from '../shared/searchAttributes';
import { entryWorkflowId } from '../shared/workflowIds';
import { paymentCall, posCall, preAuthPolling, preAuthWaitMs, storeCall, storeLocalCall } from './activityOptions';

type Activities = ReturnType<typeof createActivities>;
const store = proxyActivities<Activities>(storeCall);
const localStore = proxyLocalActivities<Activities>(storeLocalCall);
const pos = proxyActivities<Activities>(posCall);
const pay = proxyActivities<Activities>(paymentCall);
const preAuthLookup = proxyActivities<Activities>(preAuthPolling);

/** See the header: local database steps, one ledger read and a signal for the pre-auth, one payment activity. */
const FEWER_TRIPS = 'purchase-fewer-trips';
/** See the header: NO_ADMITTED_PAYER, POS_INCONSISTENT and ABSURD_CART reviews; the captured authorization named on close. */
const GUARDS_MONEY = 'purchase-guards-money';

/** One purchase's input and the progress its query and update handlers see. */
interface Purchase {
  input: PurchaseInput;
  progress: PurchaseProgress;
  /** patched(FEWER_TRIPS), asked once at the start: false for purchases started by earlier code. */
  fewerTrips: boolean;
  /** patched(GUARDS_MONEY), asked once at the start: false for purchases started by earlier code. */
  guarded: boolean;
  preAuthWaitMs: number;
  /** Auth events whose entry workflow signalled that its pre-auth is settled. */
  settledPreAuths: Set<string>;
}

/** The connector's database steps: local activities on the patched path, normal ones for older purchases. */
const storeOf = (purchase: Purchase) => (purchase.fewerTrips ? localStore : store);

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

export async function purchaseWorkflow(
  input: PurchaseInput,
  options: PurchaseWorkflowOptions = {},
): Promise<PurchaseProgress> {
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
    fewerTrips: patched(FEWER_TRIPS),
    guarded: patched(GUARDS_MONEY),
    preAuthWaitMs: options.preAuthWaitMs ?? preAuthWaitMs,
    settledPreAuths: new Set(),
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

/**
 * The status query, the bad-cart decision update with its validator (a refused decision changes
 * nothing), and the entry workflows' answers to preAuthRequested.
 */
function registerHandlers({ input, progress, settledPreAuths }: Purchase): void {
  setHandler(purchaseStatusQuery, () => progress);
  setHandler(preAuthSettledSignal, ({ authEventId }) => {
    settledPreAuths.add(authEventId);
  });
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
  if (decision.decision === 'CHARGE_KNOWN' && progress.problems.some((p) => p.reason === 'NO_ADMITTED_PAYER')) {
    throw new Error(
      `nobody this connector admitted came in on trip ${tripId}: there is no one to charge (WRITE_OFF it)`,
    );
  }
  if (decision.decision === 'CORRECT') {
    // Lines only: a problem of the whole cart ('*') is not corrected by a SKU.
    const open = new Set(progress.problems.map((p) => p.lineId).filter((id) => id !== '*'));
    const unknown = decision.corrections.filter((c) => !open.has(c.lineId));
    if (decision.corrections.length === 0 || unknown.length) {
      throw new Error(`corrections must name the problem lines (${[...open].join(', ')})`);
    }
  }
}

/** The whole purchase, from the trip's visitors to the closed trip. */
async function checkOut(purchase: Purchase): Promise<void> {
  const trip = await findTrip(purchase);
  if (purchase.input.request.cartItems.length === 0) {
    // Empty cart: nothing to charge; release every pre-auth (purchaseId "" was already answered).
    await chargeNothing(purchase, trip, 'EMPTY');
    return;
  }
  const priced = await priceOrReview(purchase, trip);
  switch (priced.kind) {
    case 'PRICED':
      return settle(purchase, trip, priced);
    case 'WRITTEN_OFF':
      return chargeNothing(purchase, trip, 'WRITTEN_OFF', `written off by ${priced.decision.operator}`);
    case 'FAILED':
      // Nothing is voided and the trip stays open: a replay, once the cause is fixed, still finds the pre-auth.
      return failPurchase(purchase, trip.shopperId, priced.failure);
  }
}

async function findTrip(purchase: Purchase): Promise<Trip> {
  const { authEvents } = purchase.input.request.shoppingTrip;
  const authEventIds = authEvents.map((e) => e.id);
  if (!purchase.fewerTrips) {
    const visitors = await store.resolveVisitors(authEvents);
    const shopperId = tripShopperId(visitors);
    const authorizations = await findAuthorizationsOrNone(authEventIds);
    return { visitors, authorizations, shopperId };
  }
  const visitors = await localStore.resolveVisitors(authEvents);
  const shopperId = tripShopperId(visitors);
  let authorizations = await localStore.readTripAuthorizations(authEventIds);
  // The gate starts an entry workflow for each admitted SHOPPER: one without a pre-auth in the
  // ledger may still be placing it.
  const placing = visitors
    .filter((v) => v.visitorType === 'SHOPPER' && !authorizations.some((a) => a.authEventId === v.authEventId))
    .map((v) => v.authEventId);
  if (placing.length && (await waitForPreAuths(purchase, placing))) {
    // Settled or not (the wait is bounded), the ledger says what there is to capture; without a
    // pre-auth the payer's card is charged directly.
    authorizations = await localStore.readTripAuthorizations(authEventIds);
  }
  return { visitors, authorizations, shopperId };
}

/**
 * Asks the entry workflow of each auth event to signal preAuthSettled once its pre-auth is placed,
 * declined or failed, and waits for the answers, at most preAuthWaitMs. False when no entry
 * workflow is running for any of them (never started, or already ended): nothing is being placed.
 */
async function waitForPreAuths(purchase: Purchase, authEventIds: string[]): Promise<boolean> {
  const purchaseWorkflowId = workflowInfo().workflowId;
  const notRunning = new Set<string>();
  await Promise.all(
    authEventIds.map(async (id) => {
      try {
        await getExternalWorkflowHandle(entryWorkflowId(id)).signal(preAuthRequestSignal, { purchaseWorkflowId });
      } catch {
        notRunning.add(id);
      }
    }),
  );
  if (notRunning.size === authEventIds.length) return false;
  await condition(
    () => authEventIds.every((id) => notRunning.has(id) || purchase.settledPreAuths.has(id)),
    purchase.preAuthWaitMs,
  );
  return true;
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
async function priceOrReview(purchase: Purchase, trip: Trip, corrections: Correction[] = []): Promise<PricingOutcome> {
  const attempt = await priceCart(purchase, corrections);
  const problems = [...payerProblems(purchase, trip), ...attempt.problems];
  if (attempt.kind === 'PRICED' && problems.length === 0) {
    return { kind: 'PRICED', pricing: attempt.pricing, notCharged: [] };
  }
  const { decision, decided } = await reviewBadCart(purchase, problems);
  switch (decision.decision) {
    case 'WRITE_OFF':
      return { kind: 'WRITTEN_OFF', decision };
    case 'CORRECT':
      return priceOrReview(purchase, trip, withCorrections(corrections, decision.corrections));
    case 'CHARGE_KNOWN':
      if (purchase.guarded && !decided) {
        const needOperator = [...new Set(problems.map((p) => p.reason))].filter((r) =>
          OPERATOR_ONLY_REASONS.includes(r),
        );
        if (needOperator.length)
          return {
            kind: 'FAILED',
            failure: `the cart needs an operator (${needOperator.join(', ')}) and no decision came before the deadline: nothing was charged`,
          };
      }
      if (attempt.kind === 'PRICED') {
        return { kind: 'PRICED', pricing: attempt.pricing, notCharged: notChargedLines(attempt.problems) };
      }
      // The POS refused the whole cart, so nothing is known to charge. An operator's "charge" means
      // "the POS is fixed, price it again"; the deadline's default must not loop forever: the
      // purchase fails, visibly, for a replay once the POS accepts the cart.
      if (decided) return priceOrReview(purchase, trip, corrections);
      return { kind: 'FAILED', failure: 'the POS refused the cart and no decision came before the deadline' };
  }
}

/** Resolves the cart against the catalog (with any corrections) and prices it on the POS. */
async function priceCart(purchase: Purchase, corrections: Correction[]): Promise<PriceAttempt> {
  const { storeId, request } = purchase.input;
  const cart = await storeOf(purchase).resolveCart({ storeId, cartItems: request.cartItems, corrections });
  try {
    const pricing = await pos.priceLines({ storeId, at: request.shoppingTrip.endTime, lines: cart.lines });
    return { kind: 'PRICED', pricing, problems: [...cart.problems, ...unpriceableLines(pricing)] };
  } catch (err) {
    // A cart the POS refuses (4xx) goes to review; any other error is purchaseWorkflow's to handle.
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause as ApplicationFailure | undefined;
    if (purchase.guarded && cause?.type === 'PosAnswerUntrusted') {
      // priceLines found the answer inconsistent or absurd: the problems are its details.
      return { kind: 'REFUSED', problems: [...cart.problems, ...((cause.details?.[0] as CartProblem[]) ?? [])] };
    }
    if (cause?.type !== 'PosRejectedCart') throw err;
    const detail = (err.cause as Error).message;
    const refused: CartProblem = { lineId: '*', itemId: '*', reason: 'POS_REJECTED', detail };
    return { kind: 'REFUSED', problems: [...cart.problems, refused] };
  }
}

/** Guarded purchases: a trip with nobody this connector admitted is not charged to anyone. */
const payerProblems = (purchase: Purchase, trip: Trip): CartProblem[] =>
  purchase.guarded && trip.visitors.length === 0
    ? [
        {
          lineId: '*',
          itemId: '*',
          reason: 'NO_ADMITTED_PAYER',
          detail: `none of the trip's auth events (${purchase.input.request.shoppingTrip.authEvents.map((e) => e.id).join(', ')}) was admitted by this connector's gate`,
        },
      ]
    : [];

const unpriceableLines = (pricing: PricingResult): CartProblem[] =>
  pricing.unpriceable.map((u) => ({ lineId: u.lineId, itemId: u.sku, reason: u.reason, detail: u.detail }));

/** A later correction of a line replaces the earlier one. */
const withCorrections = (earlier: Correction[], later: Correction[]): Correction[] => [
  ...earlier.filter((c) => !later.some((d) => d.lineId === c.lineId)),
  ...later,
];

/** Puts the cart in BAD_CART review and waits for a decision until the deadline, then applies the default. */
async function reviewBadCart(
  purchase: Purchase,
  problems: CartProblem[],
): Promise<{ decision: BadCartDecision; decided: boolean }> {
  const { input, progress } = purchase;
  const { tripId, storeId } = input;
  // Open for decisions before the review record is visible, so an operator never sees a cart that refuses them.
  progress.problems = problems;
  progress.badCartDecision = null;
  setStatus(progress, 'BAD_CART');
  const deadline = new Date(Date.now() + input.badCartDeadlineMs).toISOString();
  await storeOf(purchase).recordBadCart({ tripId, storeId, problems, deadline });
  const decided = await condition(() => progress.badCartDecision !== null, input.badCartDeadlineMs);
  const decision: BadCartDecision = decided
    ? progress.badCartDecision!
    : { decision: input.badCartDefault, operator: 'deadline', note: 'no decision before the deadline' };
  progress.badCartDecision = decision;
  await storeOf(purchase).closeBadCart({ tripId, decision });
  return { decision, decided };
}

/** Takes the total from whoever pays (or records why nobody does) and records the purchase with its receipt. */
async function settle(
  purchase: Purchase,
  trip: Trip,
  { pricing, notCharged }: Extract<PricingOutcome, { kind: 'PRICED' }>,
): Promise<void> {
  const { input, progress } = purchase;
  const { tripId } = input;
  progress.totalMinor = pricing.totalMinor;
  setStatus(progress, 'PRICED');

  const plan = planSettlement(trip.visitors, trip.authorizations);
  const charge =
    plan.kind === 'CARD'
      ? {
          tripId,
          shopperId: plan.payer.shopperId,
          authorization: plan.authorization,
          totalMinor: pricing.totalMinor,
          currency: pricing.currency,
        }
      : null;
  let card: CardResult | null = null;
  if (purchase.fewerTrips) {
    // The voids and the card always ran back to back: one activity (one trip) for both.
    if (charge || plan.voids.length) card = await pay.settlePayments({ tripId, voids: plan.voids, card: charge });
  } else {
    if (plan.voids.length) await pay.voidAuthorizations({ tripId, authorizationIds: plan.voids });
    if (charge) card = await pay.settleByCard(charge);
  }
  if (card) progress.capturedMinor = card.capturedMinor;
  // The pre-auth the trip captured (when the card was charged directly it is voided or lapsed
  // already); every other one is the entry workflows' to void once the trip is closed.
  const captured = plan.kind === 'CARD' && plan.authorization && card && card.capturedMinor > 0;
  const capturedAuthorizationId = captured ? plan.authorization!.authorizationId : null;

  const header = {
    purchaseId: input.purchaseId,
    tripId,
    storeId: input.storeId,
    shopperId: trip.shopperId,
    tripEndedAt: input.request.shoppingTrip.endTime,
  };
  const { status, receipt, debt, failure } = settlementOutcome(plan, card, pricing, header, notCharged);
  await finish(
    purchase,
    trip,
    { tripId, status, shopperId: trip.shopperId, receipt, debt, failure },
    capturedAuthorizationId,
  );
}

/** An empty or written-off cart: every pre-auth still held is voided and no receipt is made. */
async function chargeNothing(
  purchase: Purchase,
  trip: Trip,
  status: 'EMPTY' | 'WRITTEN_OFF',
  failure?: string,
): Promise<void> {
  const { tripId } = purchase.input;
  const held = heldAuthorizationIds(trip.authorizations);
  // The patched path skips the activity when nothing is held (it voided nothing, at the cost of a trip).
  if (held.length || !purchase.fewerTrips) await pay.voidAuthorizations({ tripId, authorizationIds: held });
  await finish(purchase, trip, { tripId, status, shopperId: trip.shopperId, receipt: null, failure });
}

/** Records the purchase as FAILED, for operators to find and replay. */
async function failPurchase(purchase: Purchase, shopperId: string | null, failure: string): Promise<void> {
  const { input, progress } = purchase;
  await storeOf(purchase).recordOutcome({ tripId: input.tripId, status: 'FAILED', shopperId, receipt: null, failure });
  setStatus(progress, 'FAILED');
}

/**
 * Records how the purchase ended and tells each visitor's entry workflow that the trip is closed,
 * so it stops holding the pre-auth for it. The patched path does both in one local activity (its
 * client sends the signals); older purchases record, then signal from the workflow one by one.
 */
async function finish(
  purchase: Purchase,
  trip: Trip,
  outcome: PurchaseOutcome,
  capturedAuthorizationId: string | null = null,
): Promise<void> {
  if (purchase.fewerTrips) {
    const authEventIds = trip.visitors.map((v) => v.authEventId);
    // Guarded purchases name the authorization they captured: the entry workflows void any other.
    const closing = purchase.guarded ? { capturedAuthorizationId } : {};
    await localStore.recordOutcomeAndCloseTrip({ ...outcome, authEventIds, ...closing });
    setStatus(purchase.progress, outcome.status);
    return;
  }
  await store.recordOutcome(outcome);
  setStatus(purchase.progress, outcome.status);
  for (const visitor of trip.visitors) {
    try {
      await getExternalWorkflowHandle(entryWorkflowId(visitor.authEventId)).signal(tripClosedSignal, {
        tripId: outcome.tripId,
      });
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
