/**
 * An operator marks a shopper's debts paid (the gate lets them in again): the debts and the audit
 * entry change in one transaction.
 */
import type { Database } from '../adapters/db/database';
import { settleDebts } from '../adapters/purchases/purchaseStore';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';

export async function settleShopperDebts(
  db: Database,
  shopperId: string,
  actor: Actor,
): Promise<{ tripId: string; amountMinor: number }[]> {
  return db.transaction(async (tx) => {
    const settled = await settleDebts(tx, shopperId);
    await recordAudit(tx, {
      actor,
      action: 'shopper.settle',
      subject: { type: 'shopper', id: shopperId },
      details: { settled },
    });
    return settled;
  });
}
