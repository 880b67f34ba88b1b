/**
 * Activities of PurchaseWorkflow. Every money move carries an idempotency key derived from the
 * trip, the authorization and the step, so a retried activity (or a replayed purchase) never
 * moves money twice.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';
import { skusForBarcodes } from '../adapters/catalog/catalogStore';
import { findGateDecisions, findShopper, findStore } from '../adapters/identity/identityStore';
import { authorizationLapsed, type Authorization, type Outcome } from '../adapters/payments/paymentGateway';
import type { Payments } from '../adapters/payments/ledger';
import { PosRejectedCart, type Pos } from '../adapters/pos/pos';
import { closeBadCart, recordBadCart, recordDebt, updatePurchaseOutcome } from '../adapters/purchases/purchaseStore';
import { PricingInputError, type CartLine, type PricingResult } from '../domain/pricing';
import { checkPosAnswer, quantityProblem } from '../domain/posAnswerCheck';
import type { Receipt } from '../domain/receipt';
import type { HeldAuthorization, TripVisitor } from '../domain/settlement';
import type { BadCartDecision, CartItem, CartProblem, PurchaseStatus, TripAuthEvent } from '../shared/purchaseMessages';
import { tripClosedSignal } from '../shared/entryMessages';
import { entryWorkflowId } from '../shared/workflowIds';

export interface PurchaseActivityDeps {
  db: Database;
  /** The gateway through the connector's payment ledger (createLedgeredPayments). */
  payments: Payments;
  pos: Pos;
  temporal: Client;
}

export interface ResolvedCart {
  lines: CartLine[];
  problems: CartProblem[];
}

export type CardSettlement = { capturedMinor: number; outstandingMinor: number; declineReason: string | null };

/** How a purchase ended, as recorded on it (with its debt, if the card left some unpaid). */
export interface PurchaseOutcome {
  tripId: string;
  status: PurchaseStatus;
  shopperId: string | null;
  receipt: Receipt | null;
  failure?: string;
  debt?: { amountMinor: number; currency: string; reason: string };
}

/** What settleByCard needs: the payer, their pre-auth (if any) and the total. */
export interface CardCharge {
  tripId: string;
  shopperId: string;
  authorization: HeldAuthorization | null;
  totalMinor: number;
  currency: string;
}

/** lineItemId when Amazon sends one (unique per cart), else the item's position. */
export const lineIdOf = (item: { lineItemId?: string }, index: number): string =>
  item.lineItemId ?? `line-${index + 1}`;

const toHeldAuthorization = (a: Authorization): HeldAuthorization => ({
  authorizationId: a.authorizationId,
  authEventId: a.authEventId,
  authorizedMinor: a.authorizedMinor,
  status: a.status,
});

export function createPurchaseActivities(deps: PurchaseActivityDeps) {
  const { db, payments } = deps;

  async function recordOutcome(input: PurchaseOutcome): Promise<void> {
    await db.transaction(async (tx) => {
      await updatePurchaseOutcome(tx, input.tripId, {
        status: input.status,
        shopperId: input.shopperId,
        totalMinor: input.receipt?.totalMinor ?? null,
        currency: input.receipt?.currency ?? null,
        receipt: input.receipt,
        failure: input.failure ?? null,
      });
      if (input.debt && input.shopperId)
        await recordDebt(tx, { tripId: input.tripId, shopperId: input.shopperId, ...input.debt });
    });
  }

  async function voidAll(tripId: string, authorizationIds: string[]): Promise<void> {
    for (const authorizationId of authorizationIds) {
      await payments.void({ idempotencyKey: `void:${authorizationId}`, authorizationId, tripId });
    }
  }

  /**
   * Takes the total from the payer's card: adjust the pre-auth when the total is above it, capture;
   * when the adjustment is declined, capture what was authorized and owe the rest; without a usable
   * pre-auth, charge the card directly. Declines are results (the shopper owes the rest), not errors.
   */
  async function settleCard(input: CardCharge): Promise<CardSettlement> {
    const { tripId, totalMinor } = input;
    const auth = input.authorization;
    if (totalMinor === 0) {
      if (auth)
        await payments.void({
          idempotencyKey: `void:${auth.authorizationId}`,
          authorizationId: auth.authorizationId,
          tripId,
        });
      return { capturedMinor: 0, outstandingMinor: 0, declineReason: null };
    }
    if (auth) {
      let capturable = totalMinor;
      let declineReason: string | null = null;
      let chargeRest = false;
      if (totalMinor > auth.authorizedMinor) {
        const adjusted = await payments.adjust({
          idempotencyKey: `adjust:${tripId}:${auth.authorizationId}`,
          authorizationId: auth.authorizationId,
          amountMinor: totalMinor,
          tripId,
        });
        if (adjusted.outcome === 'DECLINED') {
          capturable = auth.authorizedMinor;
          declineReason = adjusted.reason;
          // The card cannot be raised at all (not a decline of the money): take the rest by a direct charge.
          chargeRest = adjusted.code === 'INCREMENT_NOT_SUPPORTED';
        }
      }
      const captured = await payments.capture({
        idempotencyKey: `capture:${tripId}:${auth.authorizationId}`,
        authorizationId: auth.authorizationId,
        amountMinor: capturable,
        tripId,
      });
      if (captured.outcome === 'APPROVED') {
        if (!chargeRest) return { capturedMinor: capturable, outstandingMinor: totalMinor - capturable, declineReason };
        const rest = await chargeOnFile(input, totalMinor - capturable, `charge-rest:${tripId}`);
        return rest.outcome === 'APPROVED'
          ? { capturedMinor: totalMinor, outstandingMinor: 0, declineReason: null }
          : { capturedMinor: capturable, outstandingMinor: totalMinor - capturable, declineReason: rest.reason };
      }
      declineReason = captured.reason;
      if (!authorizationLapsed(captured.code)) return { capturedMinor: 0, outstandingMinor: totalMinor, declineReason };
      // The pre-auth lapsed before the cart arrived: fall through to a direct charge.
    }
    const charged = await chargeOnFile(input, totalMinor, `charge:${tripId}`);
    return charged.outcome === 'APPROVED'
      ? { capturedMinor: totalMinor, outstandingMinor: 0, declineReason: null }
      : { capturedMinor: 0, outstandingMinor: totalMinor, declineReason: charged.reason };
  }

  /** A direct charge of the payer's card on file. */
  async function chargeOnFile(
    input: CardCharge,
    amountMinor: number,
    idempotencyKey: string,
  ): Promise<Outcome<unknown>> {
    const shopper = await findShopper(db, input.shopperId);
    if (!shopper?.paymentToken)
      return { outcome: 'DECLINED', code: 'NO_PAYMENT_METHOD', reason: 'no payment instrument on file' };
    return payments.charge({
      idempotencyKey,
      shopperId: input.shopperId,
      paymentToken: shopper.paymentToken,
      amountMinor,
      currency: input.currency,
      tripId: input.tripId,
    });
  }

  return {
    /** Cart items → priceable lines: SKUs as they are, SCANCODEs (and unknown SKUs with a known external barcode) through the catalog's barcodes. */
    async resolveCart(input: {
      storeId: string;
      cartItems: CartItem[];
      corrections?: { lineId: string; sku: string }[];
    }): Promise<ResolvedCart> {
      const corrections = new Map((input.corrections ?? []).map((c) => [c.lineId, c.sku]));
      const codes = input.cartItems.flatMap((item) => [
        ...(item.type === 'SCANCODE' ? [item.id] : []),
        ...(item.externalIdentifiers ?? []).map((e) => e.id),
      ]);
      const [bySku, byBarcode] = await Promise.all([
        db.query<{ sku: string }>('SELECT sku FROM catalog_items WHERE store_id = $1 AND sku = ANY($2::text[])', [
          input.storeId,
          [...input.cartItems.map((i) => i.id), ...corrections.values()],
        ]),
        skusForBarcodes(db, input.storeId, codes),
      ]);
      const knownSkus = new Set(bySku.map((r) => r.sku));
      const lines: CartLine[] = [];
      const problems: CartProblem[] = [];
      input.cartItems.forEach((item, index) => {
        const lineId = lineIdOf(item, index);
        const viaBarcode =
          (item.type === 'SCANCODE' ? byBarcode.get(item.id) : undefined) ??
          (item.externalIdentifiers ?? []).map((e) => byBarcode.get(e.id)).find(Boolean);
        const sku = corrections.get(lineId) ?? (item.type === 'SKU' && knownSkus.has(item.id) ? item.id : viaBarcode);
        // A quantity no shelf holds is not sent to the POS, nor ever charged: the line goes to review.
        const absurd = quantityProblem({ lineId, itemId: item.id, quantity: item.quantity.value });
        if (absurd) problems.push(absurd);
        else if (sku) lines.push({ lineId, sku, quantity: item.quantity.value, unit: item.quantity.unit });
        else
          problems.push({
            lineId,
            itemId: item.id,
            reason: item.type === 'SCANCODE' ? 'UNKNOWN_BARCODE' : 'UNKNOWN_SKU',
            detail: `${item.type} ${item.id} is not in the catalog of ${input.storeId}`,
          });
      });
      return { lines, problems };
    },

    async priceLines(input: { storeId: string; at: string; lines: CartLine[] }): Promise<PricingResult> {
      const store = await findStore(db, input.storeId);
      if (!store) throw ApplicationFailure.nonRetryable(`unknown store ${input.storeId}`, 'UnknownStore');
      const question = {
        storeId: store.storeId,
        currency: store.currency,
        taxInclusive: store.taxInclusive,
        at: input.at,
        lines: input.lines,
      };
      let answer: PricingResult;
      try {
        answer = await deps.pos.price(question);
      } catch (err) {
        if (err instanceof PosRejectedCart) throw ApplicationFailure.nonRetryable(err.message, 'PosRejectedCart');
        // A broken price book or promotion will not fix itself: fail the purchase for a replay after the fix.
        if (err instanceof PricingInputError)
          throw ApplicationFailure.nonRetryable(err.message, 'PricingConfiguration');
        throw err;
      }
      // Money moves on this answer only if it adds up, is in the store's currency and is sane; otherwise
      // the cart goes to review with the problems (retrying would get the same answer for an hour).
      const problems: CartProblem[] = checkPosAnswer(question, answer);
      if (problems.length)
        throw ApplicationFailure.create({
          type: 'PosAnswerUntrusted',
          nonRetryable: true,
          message: `the POS answer cannot be charged: ${problems.map((p) => p.detail).join('; ')}`.slice(0, 2000),
          details: [problems],
        });
      return answer;
    },

    /**
     * The trip's visitors: the auth events this connector's gate admitted (a recorded 200), with the
     * shopper and type it admitted. Amazon's scanResult and shopperIdentity name nobody: a trip none of
     * whose auth events was admitted has no visitor (the purchase sends it to review, NO_ADMITTED_PAYER).
     */
    async resolveVisitors(authEvents: TripAuthEvent[]): Promise<TripVisitor[]> {
      const decisions = new Map(
        (
          await findGateDecisions(
            db,
            authEvents.map((e) => e.id),
          )
        )
          .filter((d) => d.allowed)
          .map((d) => [d.authEventId, d]),
      );
      const visitors: TripVisitor[] = [];
      for (const event of authEvents) {
        const decision = decisions.get(event.id);
        if (decision?.shopperId && decision.visitorType)
          visitors.push({ authEventId: event.id, shopperId: decision.shopperId, visitorType: decision.visitorType });
      }
      return visitors;
    },

    /**
     * The pre-auths of the trip's auth events, read once from the ledger (a local activity of
     * purchases from patch purchase-fewer-trips on). Whether an entry workflow is still placing one
     * is the workflow's question, answered by the entry workflow's preAuthSettled signal.
     */
    async readTripAuthorizations(authEventIds: string[]): Promise<HeldAuthorization[]> {
      return (await payments.findAuthorizationsByAuthEvent(authEventIds)).map(toHeldAuthorization);
    },

    /**
     * Purchases started before patch purchase-fewer-trips: the pre-auths of the trip's auth events.
     * While an entry workflow is still placing its pre-auth, fails as "not ready" so the retry
     * policy polls; a trip without entry workflow (the gate's default let the shopper in) simply
     * has none.
     */
    async findTripAuthorizations(authEventIds: string[]): Promise<HeldAuthorization[]> {
      const found = await payments.findAuthorizationsByAuthEvent(authEventIds);
      const withAuth = new Set(found.map((a) => a.authEventId));
      for (const id of authEventIds.filter((i) => !withAuth.has(i))) {
        try {
          const description = await deps.temporal.workflow.getHandle(entryWorkflowId(id)).describe();
          if (description.status.name === 'RUNNING')
            throw ApplicationFailure.retryable(`pre-auth of ${id} is still being placed`, 'PreAuthNotReady');
        } catch (err) {
          if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        }
      }
      return found.map(toHeldAuthorization);
    },

    async voidAuthorizations(input: { tripId: string; authorizationIds: string[] }): Promise<void> {
      await voidAll(input.tripId, input.authorizationIds);
    },

    /**
     * A priced purchase's money in one activity (purchases from patch purchase-fewer-trips on): the
     * pre-auths nobody pays with are voided, then the payer's card is settled (settleByCard), in
     * the order the two separate activities ran. Both are money moves under idempotency keys, so a
     * retry of the whole (a worker dying after the voids, or mid-capture) is answered from the ledger.
     */
    async settlePayments(input: {
      tripId: string;
      voids: string[];
      card: CardCharge | null;
    }): Promise<CardSettlement | null> {
      await voidAll(input.tripId, input.voids);
      return input.card ? settleCard(input.card) : null;
    },

    /** The payer's card alone (purchases started before patch purchase-fewer-trips; see settleCard). */
    async settleByCard(input: CardCharge): Promise<CardSettlement> {
      return settleCard(input);
    },

    async recordBadCart(input: {
      tripId: string;
      storeId: string;
      problems: CartProblem[];
      deadline: string;
    }): Promise<void> {
      await recordBadCart(db, { ...input, deadline: new Date(input.deadline) });
    },

    async closeBadCart(input: {
      tripId: string;
      decision: BadCartDecision | { decision: string; operator: string };
    }): Promise<void> {
      await closeBadCart(db, input.tripId, input.decision);
    },

    async recordOutcome(input: PurchaseOutcome): Promise<void> {
      await recordOutcome(input);
    },

    /**
     * The outcome, then the trip's entry workflows told that the trip is closed (a local activity of
     * purchases from patch purchase-fewer-trips on; the two always ran back to back). The signals go
     * through the client, so no workflow task of the purchase waits for their delivery; run again
     * (a retried attempt), the update is the same and a repeated tripClosed changes nothing.
     */
    async recordOutcomeAndCloseTrip(
      input: PurchaseOutcome & { authEventIds: string[]; capturedAuthorizationId?: string | null },
    ): Promise<void> {
      await recordOutcome(input);
      const { capturedAuthorizationId } = input;
      // Named only by purchases from patch purchase-guards-money on (absent: the entry voids nothing).
      const closing = capturedAuthorizationId === undefined ? {} : { capturedAuthorizationId };
      await Promise.all(
        input.authEventIds.map(async (id) => {
          try {
            await deps.temporal.workflow
              .getHandle(entryWorkflowId(id))
              .signal(tripClosedSignal, { tripId: input.tripId, ...closing });
          } catch (err) {
            // No entry workflow for this auth event (associate, cash shopper, the gate default), or it ended.
            if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
          }
        }),
      );
    },
  };
}
