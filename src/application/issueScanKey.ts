/**
 * Issues Scan Key Codes for the app backend and the operator CLI: a fresh Recognition Token
 * recorded for the shopper, wrapped in a signed code. Refuses, before issuing, an account that
 * would be turned away at the gate anyway (pre-validation, jwo-api.md §1.6).
 */
import type { Database, Queryable } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { issueScanKey, newRecognitionToken, type ScanKeySettings } from '../domain/scanKey';
import { decideEntry, REJECTION_TEXT, type EntryRejection } from '../domain/entryDecision';
import {
  createRecognitionToken,
  findShopper,
  purgeExpiredTokens,
  revokeUnusedTokens,
} from '../adapters/identity/identityStore';

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

/** Expired tokens deleted per issue at most: bounded work, more than one issue adds, so the table cannot grow. */
export const PURGE_BATCH = 100;
/** Expired tokens are kept this long after expiry (for a look in the database), then purged. */
export const PURGE_AFTER_MS = 60 * 60_000;

export interface IssueOptions {
  /**
   * Keep the shopper's earlier unused codes valid. Only for load tools that pre-issue many codes for
   * one shopper; the app backend and operators always revoke them (a shopper has one live code).
   */
  keepEarlierCodes?: boolean;
}

export async function issueScanKeyFor(
  db: Queryable,
  settings: ScanKeySettings,
  shopperId: string,
  at: Date = new Date(),
  options: IssueOptions = {},
): Promise<IssuedScanKey> {
  const shopper = await findShopper(db, shopperId);
  if (!shopper) throw new PreValidationError('UNKNOWN_SHOPPER');
  // The same checks the gate applies, on a record that has no token yet.
  const decision = decideEntry({ token: '', shopper, revokedAt: null, consumedByAuthEvent: null }, '', at);
  if (!decision.allowed) throw new PreValidationError(decision.reason);
  // A new code replaces the shopper's earlier unused ones: a code shown once and not scanned (a
  // screenshot, a shoulder-surfed QR) dies as soon as the next is issued.
  if (!options.keepEarlierCodes) await revokeUnusedTokens(db, shopperId);
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
 * Purges up to PURGE_BATCH recognition tokens expired more than PURGE_AFTER_MS ago: run after each
 * issue (outside its transaction; a failure is ignored, the next issue tries again).
 */
export async function purgeAfterIssue(db: Queryable, at: Date = new Date()): Promise<number> {
  try {
    return await purgeExpiredTokens(db, new Date(at.getTime() - PURGE_AFTER_MS), PURGE_BATCH);
  } catch {
    return 0;
  }
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
  const issued = await db.transaction(async (tx) => {
    const issued = await issueScanKeyFor(tx, settings, shopperId, at);
    await recordAudit(tx, {
      actor,
      action: 'scankey.issue',
      subject: { type: 'shopper', id: shopperId },
      details: { issuedAt: issued.issuedAt, expiresAt: issued.expiresAt },
    });
    return issued;
  });
  await purgeAfterIssue(db, at);
  return issued;
}
