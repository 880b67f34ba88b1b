/**
 * PurchaseWorkflow (id purchase-<idempotentShoppingTripId>): prices the cart on the POS, routes
 * carts with unknown or unpriceable lines to bad-cart review, takes the money from the payer
 * (capture against the pre-auth, adjust, or direct charge), records the purchase and receipt,
 * and tells the trip's entry workflows that the trip is closed.
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
import { buildReceipt, type Receipt } from '../domain/receipt';
import { planSettlement } from '../domain/settlement';
import { tripClosedSignal } from '../shared/entryMessages';
import { purchaseStatusQuery, resolveBadCartUpdate, type BadCartDecision, type CartProblem, type PurchaseInput, type PurchaseProgress, type PurchaseStatus } from '../shared/purchaseMessages';
import { PurchaseStatusKey } from '../shared/searchAttributes';
import { entryWorkflowId } from '../shared/workflowIds';
import { paymentCall, posCall, storeCall } from './activityOptions';

type Activities = ReturnType<typeof createActivities>;
const store = proxyActivities<Activities>(storeCall);
const pos = proxyActivities<Activities>(posCall);
const pay = proxyActivities<Activities>(paymentCall);
/** Polls until the entry workflows have placed their pre-auths (at most a few minutes, then goes on without). */
const preAuthLookup = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '15 seconds' },
});

const lineProblems = (pricing: PricingResult): CartProblem[] =>
  pricing.unpriceable.map((u) => ({ lineId: u.lineId, itemId: u.sku, reason: u.reason, detail: u.detail }));

export async function purchaseWorkflow(input: PurchaseInput): Promise<PurchaseProgress> {
  const { request, tripId, storeId } = input;
  const progress: PurchaseProgress = { status: 'RECEIVED', purchaseId: input.purchaseId, totalMinor: null, capturedMinor: 0, problems: [], badCartDecision: null };
  const setStatus = (status: PurchaseStatus) => {
    progress.status = status;
    upsertSearchAttributes([{ key: PurchaseStatusKey, value: status }]);
  };
  setHandler(purchaseStatusQuery, () => progress);
  setHandler(
    resolveBadCartUpdate,
    (decision) => {
      progress.badCartDecision = decision;
      return progress;
    },
    {
      validator: (decision: BadCartDecision) => {
        if (progress.status !== 'BAD_CART' || progress.badCartDecision) throw new Error(`trip ${tripId} is not waiting for a bad-cart decision (status ${progress.status})`);
        if (decision.decision === 'CORRECT') {
          const open = new Set(progress.problems.map((p) => p.lineId));
          const unknown = decision.corrections.filter((c) => !open.has(c.lineId));
          if (decision.corrections.length === 0 || unknown.length) throw new Error(`corrections must name the problem lines (${[...open].join(', ')})`);
        }
      },
    },
  );

  try {
    const visitors = await store.resolveVisitors(request.shoppingTrip.authEvents);
    const payerId = visitors.find((v) => v.visitorType === 'SHOPPER')?.shopperId ?? visitors[0]?.shopperId ?? null;
    const authorizations = await findAuthorizationsOrNone(request.shoppingTrip.authEvents.map((e) => e.id));
    const closeTrip = async () => {
      for (const visitor of visitors) {
        try {
          await getExternalWorkflowHandle(entryWorkflowId(visitor.authEventId)).signal(tripClosedSignal, { tripId });
        } catch {
          // No entry workflow for this auth event (associate, cash shopper, or the gate default let them in).
        }
      }
    };

    // Empty cart: nothing to charge; release every pre-auth (purchaseId "" was already answered).
    if (request.cartItems.length === 0) {
      await pay.voidAuthorizations({ tripId, authorizationIds: authorizations.filter((a) => a.status === 'AUTHORIZED').map((a) => a.authorizationId) });
      await store.recordOutcome({ tripId, status: 'EMPTY', shopperId: payerId, receipt: null });
      setStatus('EMPTY');
      await closeTrip();
      return progress;
    }

    // Price, and when lines cannot be priced, wait for an operator (or the deadline's default).
    let corrections: { lineId: string; sku: string }[] = [];
    let pricing: PricingResult;
    let notCharged: Receipt['notCharged'] = [];
    for (;;) {
      const cart = await store.resolveCart({ storeId, cartItems: request.cartItems, corrections });
      let problems = cart.problems;
      try {
        pricing = await pos.priceLines({ storeId, at: request.shoppingTrip.endTime, lines: cart.lines });
        problems = [...problems, ...lineProblems(pricing)];
      } catch (err) {
        if (!(err instanceof ActivityFailure) || (err.cause as ApplicationFailure)?.type !== 'PosRejectedCart') throw err;
        pricing = { currency: 'XXX', lines: [], subtotalMinor: 0, discountMinor: 0, taxMinor: 0, totalMinor: 0, promotionsApplied: [], unpriceable: [] };
        problems = [...problems, { lineId: '*', itemId: '*', reason: 'POS_REJECTED', detail: (err.cause as Error).message }];
      }
      if (problems.length === 0) break;

      // Open for decisions before the review record is visible, so an operator never sees a cart that refuses them.
      progress.problems = problems;
      progress.badCartDecision = null;
      setStatus('BAD_CART');
      const deadline = new Date(Date.now() + input.badCartDeadlineMs).toISOString();
      await store.recordBadCart({ tripId, storeId, problems, deadline });
      const decided = await condition(() => progress.badCartDecision !== null, input.badCartDeadlineMs);
      const decision: BadCartDecision = decided ? progress.badCartDecision! : { decision: input.badCartDefault, operator: 'deadline', note: 'no decision before the deadline' };
      progress.badCartDecision = decision;
      await store.closeBadCart({ tripId, decision });
      if (decision.decision === 'WRITE_OFF') {
        await pay.voidAuthorizations({ tripId, authorizationIds: authorizations.filter((a) => a.status === 'AUTHORIZED').map((a) => a.authorizationId) });
        await store.recordOutcome({ tripId, status: 'WRITTEN_OFF', shopperId: payerId, receipt: null, failure: `written off by ${decision.operator}` });
        setStatus('WRITTEN_OFF');
        await closeTrip();
        await condition(allHandlersFinished);
        return progress;
      }
      if (decision.decision === 'CHARGE_KNOWN') {
        if (problems.some((p) => p.reason === 'POS_REJECTED')) {
          // The POS refused the whole cart, so nothing is known to charge. An operator's "charge" means
          // "the POS is fixed, price it again"; the deadline's default must not loop forever: the
          // purchase fails, visibly, for a replay once the POS accepts the cart.
          if (decided) continue;
          await store.recordOutcome({ tripId, status: 'FAILED', shopperId: payerId, receipt: null, failure: 'the POS refused the cart and no decision came before the deadline' });
          setStatus('FAILED');
          return progress;
        }
        notCharged = problems.map((p) => ({ lineId: p.lineId, itemId: p.itemId, reason: p.reason }));
        break;
      }
      corrections = [...corrections.filter((c) => !decision.corrections.some((d) => d.lineId === c.lineId)), ...decision.corrections];
    }
    progress.totalMinor = pricing.totalMinor;
    setStatus('PRICED');

    const settlement = planSettlement(visitors, authorizations);
    if (settlement.voids.length) await pay.voidAuthorizations({ tripId, authorizationIds: settlement.voids });
    const header = { purchaseId: input.purchaseId, tripId, storeId, shopperId: payerId, tripEndedAt: request.shoppingTrip.endTime };

    let status: PurchaseStatus;
    let receipt: Receipt;
    let debt: { amountMinor: number; currency: string; reason: string } | undefined;
    let failure: string | undefined;
    switch (settlement.kind) {
      case 'CARD': {
        const result = await pay.settleByCard({ tripId, shopperId: settlement.payer.shopperId, authorization: settlement.authorization, totalMinor: pricing.totalMinor, currency: pricing.currency });
        progress.capturedMinor = result.capturedMinor;
        receipt = buildReceipt(header, pricing, notCharged, { method: 'CARD', capturedMinor: result.capturedMinor, outstandingMinor: result.outstandingMinor });
        if (result.outstandingMinor > 0) {
          status = 'DEBT';
          debt = { amountMinor: result.outstandingMinor, currency: pricing.currency, reason: result.declineReason ?? 'declined' };
        } else status = 'CAPTURED';
        break;
      }
      case 'CASH_DUE':
        receipt = buildReceipt(header, pricing, notCharged, { method: 'CASH', capturedMinor: 0, outstandingMinor: pricing.totalMinor });
        status = 'CASH_DUE';
        break;
      case 'NOT_CHARGED':
        receipt = buildReceipt(header, pricing, notCharged, { method: 'NONE', capturedMinor: 0, outstandingMinor: 0 });
        status = 'NOT_CHARGED';
        break;
      case 'NO_PAYER':
        receipt = buildReceipt(header, pricing, notCharged, { method: 'NONE', capturedMinor: 0, outstandingMinor: pricing.totalMinor });
        status = 'FAILED';
        failure = 'no shopper could be identified from the trip\'s auth events';
        break;
    }
    await store.recordOutcome({ tripId, status, shopperId: payerId, receipt, debt, failure });
    setStatus(status);
    await closeTrip();
    await condition(allHandlersFinished);
    return progress;
  } catch (err) {
    // A bug in workflow code fails only the workflow task: Temporal retries it once the code is fixed.
    if (!(err instanceof ActivityFailure)) throw err;
    // An activity out of retries (or refused for good) fails the run, visibly to operators
    // (`jwo purchases list --status FAILED`) who can replay it once the cause is fixed.
    await store.recordOutcome({ tripId, status: 'FAILED', shopperId: null, receipt: null, failure: err.cause?.message ?? err.message });
    setStatus('FAILED');
    throw err;
  }

  async function findAuthorizationsOrNone(authEventIds: string[]) {
    try {
      return await preAuthLookup.findTripAuthorizations(authEventIds);
    } catch (err) {
      if (err instanceof ActivityFailure) return []; // entry workflows never finished: charge directly
      throw err;
    }
  }
}
