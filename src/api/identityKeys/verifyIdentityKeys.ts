/**
 * POST /v1/identity/identity-keys: the use case behind the route. Idempotent on authEvent.id:
 * the first decision is recorded and every retry gets the same status and body. A SHOPPER's 200
 * records the start of EntryWorkflow entry-<authEvent.id> (which places the pre-auth) in the same
 * transaction as the decision and the consumed code, so the answer depends on the database alone:
 * the start is tried at once within a short budget, and the outbox relay makes it if Temporal is
 * slow or down. A Temporal outage never turns a valid scan into a 500 and never burns a code.
 */
import type { Database } from '../../adapters/db/database';
import {
  findGateDecision,
  findRecognitionRecord,
  findShopper,
  recordGateDecision,
  sha256,
  TokenAlreadyConsumedError,
} from '../../adapters/identity/identityStore';
import {
  enqueueWorkflowStart,
  workflowStarted,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../adapters/temporal/workflowOutbox';
import { InvalidRequest, UnknownStore } from '../../application/errors';
import { decideEntry, REJECTION_TEXT, type EntryDecision, type GateDecision } from '../../domain/entryDecision';
import type { Store } from '../../domain/identity';
import { verifyScanKey, type ScanKeySettings } from '../../domain/scanKey';
import type { EntryInput } from '../../shared/entryMessages';
import { entryWorkflowId } from '../../shared/workflowIds';
import type { VerifyIdentityKeysRequest } from './schema';

export interface GateDeps {
  db: Database;
  taskQueue: string;
  scanKeys: ScanKeySettings;
  preauthHorizonMs: number;
  /** Makes the recorded starts (the request waits for one within its budget, never longer). */
  starter: WorkflowStarter;
  findStore(storeId: string): Promise<Store | null>;
  /** The server clock the Scan Key Code's issue time is checked against (tests may fix it). */
  now?: () => Date;
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

function entryStart(
  deps: GateDeps,
  store: Store,
  decision: GateDecision & { allowed: true },
  paymentToken: string,
): WorkflowStart<'entryWorkflow'> {
  const input: EntryInput = {
    authEventId: decision.authEventId,
    storeId: store.storeId,
    shopperId: decision.shopperId,
    paymentToken,
    amountMinor: store.preauthAmountMinor,
    currency: store.currency,
    horizonMs: deps.preauthHorizonMs,
  };
  return {
    workflowType: 'entryWorkflow',
    workflowId: entryWorkflowId(decision.authEventId),
    taskQueue: deps.taskQueue,
    args: [input],
    searchAttributes: { StoreId: store.storeId, ShopperId: decision.shopperId },
  };
}

/** The decision the key earns now, with what is needed to act on it. */
async function decide(
  deps: GateDeps,
  store: Store,
  request: VerifyIdentityKeysRequest,
): Promise<{ decision: GateDecision; token: string | null; paymentToken: string | null }> {
  const code = Buffer.from(request.identityKey, 'base64').toString('utf8');
  const scannedAt = new Date(request.authEvent.timestamp);
  // A store with its own Customer Prefix verifies codes against it; the others against SCAN_KEY_PREFIX.
  const settings = store.scanKeyPrefix ? { ...deps.scanKeys, prefix: store.scanKeyPrefix } : deps.scanKeys;
  // Checked against our clock too: authEvent.timestamp alone would let a captured code be replayed later.
  const verified = verifyScanKey(settings, code, scannedAt, deps.now?.() ?? new Date());
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
  const fresh = await decide(deps, store, request);
  // The first decision of a SHOPPER with a card records its entry workflow's start in the same transaction.
  const start =
    fresh.decision.allowed && fresh.decision.visitorType === 'SHOPPER' && fresh.paymentToken
      ? entryStart(deps, store, fresh.decision, fresh.paymentToken)
      : null;
  let recorded: { decision: GateDecision; created: boolean };
  try {
    recorded = await recordGateDecision(
      deps.db,
      fresh.decision,
      fresh.token,
      start ? (tx) => enqueueWorkflowStart(tx, start) : undefined,
    );
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

  if (created && start) await deps.starter.start(start);
  else if (!created && decision.allowed && decision.visitorType === 'SHOPPER')
    await restartIfPending(deps, store, decision);
  const decided = decision.allowed ? 'ALLOWED' : decision.reason;
  return {
    ...gateResponse(decision),
    outcome: created ? decided : `REPEAT_${decided}`,
    visitorType: decision.allowed ? decision.visitorType : null,
  };
}

/**
 * The answer already recorded for this authEvent.id, as every retry gets it (null: none yet). The
 * gate asks before refusing a request with 429, so a retry of a decided scan is never throttled.
 */
export async function recordedGateAnswer(
  deps: GateDeps,
  request: VerifyIdentityKeysRequest,
): Promise<GateAnswer | null> {
  const decision = await findGateDecision(deps.db, request.authEvent.id);
  if (!decision) return null;
  if (decision.keySha256 !== sha256(request.identityKey))
    throw new InvalidRequest([{ field: 'authEvent.id', reason: 'was already used with a different identityKey' }]);
  const decided = decision.allowed ? 'ALLOWED' : decision.reason;
  return {
    ...gateResponse(decision),
    outcome: `REPEAT_${decided}`,
    visitorType: decision.allowed ? decision.visitorType : null,
  };
}

/**
 * A retry of an admitted shopper's scan: makes the recorded start if it is still pending (the relay
 * would too; the retry just does not wait for it). Decisions recorded before the outbox existed
 * have no row: their start is recorded now, with the shopper's current card.
 */
async function restartIfPending(deps: GateDeps, store: Store, decision: GateDecision & { allowed: true }) {
  const started = await workflowStarted(deps.db, entryWorkflowId(decision.authEventId));
  if (started) return;
  const paymentToken = (await findShopper(deps.db, decision.shopperId))?.paymentToken;
  if (!paymentToken) return;
  const start = entryStart(deps, store, decision, paymentToken);
  if (started === null) await enqueueWorkflowStart(deps.db, start);
  await deps.starter.start(start);
}
