/**
 * Issues Scan Key Codes for the app backend and the operator CLI: a fresh Recognition Token
 * recorded for the shopper, wrapped in a signed code. Refuses, before issuing, an account that
 * would be turned away at the gate anyway (pre-validation, jwo-api.md §1.6).
 */
import type { Database, Queryable } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { issueScanKey, newRecognitionToken, type ScanKeySettings } from '../domain/scanKey';
import { decideEntry, REJECTION_TEXT, type EntryRejection } from '../domain/entryDecision';
import { createRecognitionToken, findShopper } from '../adapters/identity/identityStore';

export class PreValidationError extends Error {
  constructor(readonly reason: EntryRejection | 'UNKNOWN_SHOPPER') {
    super(reason === 'UNKNOWN_SHOPPER' ? 'unknown shopper' : REJECTION_TEXT[reason]);
    this.name = 'PreValidationError';
  }
}

export interface IssuedScanKey {
  code: string;
  shopperId: string;
  issuedAt: string;
  expiresAt: string;
}

export async function issueScanKeyFor(
  db: Queryable,
  settings: ScanKeySettings,
  shopperId: string,
  at: Date = new Date(),
): Promise<IssuedScanKey> {
  const shopper = await findShopper(db, shopperId);
  if (!shopper) throw new PreValidationError('UNKNOWN_SHOPPER');
  // The same checks the gate applies, on a record that has no token yet.
  const decision = decideEntry({ token: '', shopper, revokedAt: null, consumedByAuthEvent: null }, '', at);
  if (!decision.allowed) throw new PreValidationError(decision.reason);
  const token = newRecognitionToken();
  const issuedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + settings.windowSeconds * 1000);
  await createRecognitionToken(db, token, shopperId, issuedAt, expiresAt);
  return {
    code: issueScanKey(settings, token, issuedAt),
    shopperId,
    issuedAt: issuedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * An operator mints a code for a shopper (demo mode only: the route refuses it otherwise): the
 * token and its audit entry are written together. The code itself is never recorded.
 */
export async function issueScanKeyAsOperator(
  db: Database,
  settings: ScanKeySettings,
  shopperId: string,
  actor: Actor,
  at: Date = new Date(),
): Promise<IssuedScanKey> {
  return db.transaction(async (tx) => {
    const issued = await issueScanKeyFor(tx, settings, shopperId, at);
    await recordAudit(tx, {
      actor,
      action: 'scankey.issue',
      subject: { type: 'shopper', id: shopperId },
      details: { issuedAt: issued.issuedAt, expiresAt: issued.expiresAt },
    });
    return issued;
  });
}
