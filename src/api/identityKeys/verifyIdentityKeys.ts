/**
 * POST /v1/identity/identity-keys: the use case behind the route. Idempotent on authEvent.id:
 * the first decision is recorded and every retry gets the same status and body; a SHOPPER's
 * 200 (re)starts EntryWorkflow entry-<authEvent.id>, which places the pre-auth.
 */
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import {
  findRecognitionRecord,
  findShopper,
  recordGateDecision,
  sha256,
  TokenAlreadyConsumedError,
} from '../../adapters/identity/identityStore';
import { startOnce } from '../../adapters/temporal/startOnce';
import { InvalidRequest, UnknownStore } from '../../application/errors';
import { decideEntry, REJECTION_TEXT, type EntryDecision, type GateDecision } from '../../domain/entryDecision';
import type { Store } from '../../domain/identity';
import { verifyScanKey, type ScanKeySettings } from '../../domain/scanKey';
import type { EntryInput } from '../../shared/entryMessages';
import { ShopperIdKey, StoreIdKey } from '../../shared/searchAttributes';
import { entryWorkflowId } from '../../shared/workflowIds';
import type { VerifyIdentityKeysRequest } from './schema';

export interface GateDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  scanKeys: ScanKeySettings;
  preauthHorizonMs: number;
  findStore(storeId: string): Promise<Store | null>;
}

export interface GateAnswer {
  status: number;
  body: unknown;
  /** For logs and metrics: ALLOWED, a rejection reason, or REPEAT_… for a replayed decision. */
  outcome: string;
  visitorType: string | null;
}

function decisionFor(request: VerifyIdentityKeysRequest, decision: EntryDecision): GateDecision {
  const { requestId, storeId, identityKey } = request;
  return { authEventId: request.authEvent.id, requestId, storeId, keySha256: sha256(identityKey), ...decision };
}

/** The gate's answer to a decision: built afresh for the first answer and every retry, so all get the same bytes. */
export function gateResponse(decision: EntryDecision): { status: 200 | 401; body: unknown } {
  return decision.allowed
    ? { status: 200, body: { visitorDetails: { id: decision.shopperId, type: decision.visitorType } } }
    : { status: 401, body: { message: `identityKey: ${REJECTION_TEXT[decision.reason]}`, reason: decision.reason } };
}

async function ensureEntryWorkflow(
  deps: GateDeps,
  store: Store,
  decision: GateDecision & { allowed: true },
  paymentToken: string,
): Promise<void> {
  const input: EntryInput = {
    authEventId: decision.authEventId,
    storeId: store.storeId,
    shopperId: decision.shopperId,
    paymentToken,
    amountMinor: store.preauthAmountMinor,
    currency: store.currency,
    horizonMs: deps.preauthHorizonMs,
  };
  await startOnce(deps.temporal, 'entryWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId: entryWorkflowId(decision.authEventId),
    args: [input],
    typedSearchAttributes: [
      { key: StoreIdKey, value: store.storeId },
      { key: ShopperIdKey, value: decision.shopperId },
    ],
  });
}

/** The decision the key earns now, with what is needed to act on it. */
async function decide(
  deps: GateDeps,
  request: VerifyIdentityKeysRequest,
): Promise<{ decision: GateDecision; token: string | null; paymentToken: string | null }> {
  const code = Buffer.from(request.identityKey, 'base64').toString('utf8');
  const scannedAt = new Date(request.authEvent.timestamp);
  const verified = verifyScanKey(deps.scanKeys, code, scannedAt);
  if (!verified.ok)
    return {
      decision: decisionFor(request, { allowed: false, reason: verified.reason }),
      token: null,
      paymentToken: null,
    };
  const record = await findRecognitionRecord(deps.db, verified.token);
  return {
    decision: decisionFor(request, decideEntry(record, request.authEvent.id, scannedAt)),
    token: verified.token,
    paymentToken: record?.shopper.paymentToken ?? null,
  };
}

export async function verifyIdentityKeys(deps: GateDeps, request: VerifyIdentityKeysRequest): Promise<GateAnswer> {
  const store = await deps.findStore(request.storeId);
  if (!store) throw new UnknownStore(request.storeId);

  // Decide first and let the insert detect a retry: a first scan (the common case) costs one read and one write.
  const fresh = await decide(deps, request);
  let recorded: { decision: GateDecision; created: boolean };
  try {
    recorded = await recordGateDecision(deps.db, fresh.decision, fresh.token);
  } catch (err) {
    if (!(err instanceof TokenAlreadyConsumedError)) throw err;
    // Another authEvent consumed the token between our read and our write.
    recorded = await recordGateDecision(
      deps.db,
      decisionFor(request, { allowed: false, reason: 'TOKEN_ALREADY_USED' }),
      null,
    );
  }
  const { decision, created } = recorded;
  if (!created && decision.keySha256 !== sha256(request.identityKey)) {
    // A 400 naming the field (Amazon's contract has no 409 for the gate), never the earlier decision.
    throw new InvalidRequest([{ field: 'authEvent.id', reason: 'was already used with a different identityKey' }]);
  }

  if (decision.allowed && decision.visitorType === 'SHOPPER') {
    // A replayed decision does not store the card: read the shopper's current one.
    const paymentToken = created
      ? fresh.paymentToken
      : ((await findShopper(deps.db, decision.shopperId))?.paymentToken ?? null);
    if (paymentToken) await ensureEntryWorkflow(deps, store, decision, paymentToken);
  }
  const decided = decision.allowed ? 'ALLOWED' : decision.reason;
  return {
    ...gateResponse(decision),
    outcome: created ? decided : `REPEAT_${decided}`,
    visitorType: decision.allowed ? decision.visitorType : null,
  };
}
