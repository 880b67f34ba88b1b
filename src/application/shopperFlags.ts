/**
 * Operators act on a shopper the gate should stop (role operator; `jwo shoppers flag|unflag|revoke-codes`):
 * flag the account (the gate answers ACCOUNT_FLAGGED and no code is issued), unflag it, or revoke its
 * unused Scan Key Codes (the gate answers TOKEN_REVOKED for them). Each change and its audit entry
 * are written in one transaction. Flagging leaves the codes as they are: the gate already refuses
 * them (ACCOUNT_FLAGGED, the clearer answer), and unflagging lets a code still in its window through.
 */
import type { Database } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { findShopper, revokeUnusedTokens, setShopperFlag } from '../adapters/identity/identityStore';
import { NotFound } from './errors';
import { showShopper, type ShopperView } from './shopperEnrollment';

async function mustExist(db: Database, shopperId: string) {
  if (!(await findShopper(db, shopperId))) throw new NotFound(`no shopper ${shopperId}`);
}

export async function flagShopper(db: Database, actor: Actor, shopperId: string, reason: string): Promise<ShopperView> {
  await db.transaction(async (tx) => {
    if (!(await setShopperFlag(tx, shopperId, reason))) throw new NotFound(`no shopper ${shopperId}`);
    await recordAudit(tx, { actor, action: 'shopper.flag', subject: { type: 'shopper', id: shopperId }, reason });
  });
  return showShopper(db, shopperId);
}

export async function unflagShopper(
  db: Database,
  actor: Actor,
  shopperId: string,
  reason?: string,
): Promise<ShopperView> {
  await mustExist(db, shopperId);
  await db.transaction(async (tx) => {
    const current = await findShopper(tx, shopperId);
    if (!current?.flaggedReason) return; // not flagged: nothing changes, nothing to record
    await setShopperFlag(tx, shopperId, null);
    await recordAudit(tx, {
      actor,
      action: 'shopper.unflag',
      subject: { type: 'shopper', id: shopperId },
      reason: reason ?? null,
      details: { was: current.flaggedReason },
    });
  });
  return showShopper(db, shopperId);
}

export async function revokeShopperCodes(
  db: Database,
  actor: Actor,
  shopperId: string,
  reason?: string,
): Promise<{ shopperId: string; revoked: number }> {
  await mustExist(db, shopperId);
  const revoked = await db.transaction(async (tx) => {
    const count = await revokeUnusedTokens(tx, shopperId);
    await recordAudit(tx, {
      actor,
      action: 'shopper.revoke-codes',
      subject: { type: 'shopper', id: shopperId },
      reason: reason ?? null,
      details: { revokedCodes: count },
    });
    return count;
  });
  return { shopperId, revoked };
}
