import type { DeclineCode, PaymentGateway } from '../adapters/payments/paymentGateway';
import type { EntryInput } from '../shared/entryMessages';

export type PreAuthResult =
  { outcome: 'APPROVED'; authorizationId: string } | { outcome: 'DECLINED'; reason: string; code?: DeclineCode };

export function createEntryActivities(deps: { payments: PaymentGateway }) {
  return {
    async placePreAuth(input: EntryInput): Promise<PreAuthResult> {
      const result = await deps.payments.authorize({
        idempotencyKey: `preauth:${input.authEventId}`,
        shopperId: input.shopperId,
        storeId: input.storeId,
        authEventId: input.authEventId,
        paymentToken: input.paymentToken,
        amountMinor: input.amountMinor,
        currency: input.currency,
      });
      return result.outcome === 'APPROVED' ? { outcome: 'APPROVED', authorizationId: result.authorizationId } : result;
    },

    async voidPreAuth(input: { authorizationId: string; reason: string }): Promise<void> {
      const result = await deps.payments.void({
        idempotencyKey: `void:${input.authorizationId}`,
        authorizationId: input.authorizationId,
        tripId: null,
      });
      if (result.outcome === 'DECLINED') throw new Error(`void of ${input.authorizationId} refused: ${result.reason}`);
    },
  };
}
