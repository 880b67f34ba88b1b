/**
 * `jwo loadtest --mix store`: the store as it is used. Shoppers enter at a fixed rate (open loop);
 * each one the gate admits checks out `purchaseDelayMs` after its entry, with a small cart of the
 * store's own SKUs and the auth event the gate answered; every purchase answered 201 is followed
 * through the operator API until its final status, during the run and a drain window after it.
 *
 * - One Scan Key Code per entry is issued before the clock starts (issuing is the app backend's
 *   work, not measured), each for the moment its scan is due, each for a shopper of its own created
 *   for the run (issuing a code revokes the shopper's earlier unused ones, so shoppers cannot share).
 * - Purchases are followed by listing (GET /ops/v1/purchases?store&since&limit=1000, one call a
 *   poll), `since` the oldest purchase still pending; only trips a listing misses are read one by one.
 */
import { randomUUID } from 'node:crypto';
import { createPurchasesRequest, identityKeysRequest, type AuthEvent } from '../simulator/journey/amazon';
import { connectorClient, type ConnectorAddress, type ConnectorClient } from '../simulator/journey/connector';
import { seededRandom } from '../simulator/journey/random';
import type { Outcome } from './endpointReport';
import { runOpenLoop } from './openLoop';
import { amazonPoster, buyableCatalog, createLoadShoppers, prepareScanKeyCodes, smallCart, timed } from './runLoadTest';
import { CompletionTracker, storeMixSchedule, type ListedPurchase, type RunPhase } from './storeMix';
import { DEFAULT_GATE_P99_TARGET_MS, storeMixResult, type StoreMixResult } from './storeMixReport';

export interface StoreMixOptions extends ConnectorAddress {
  storeId: string;
  entriesPerSecond: number;
  durationSeconds: number;
  /** From an entry's scan to its Create Purchases (default 3 s). */
  purchaseDelayMs?: number;
  /** How long to keep following purchases after the load stops (default 60 s). */
  drainMs?: number;
  gateP99TargetMs?: number;
  pollIntervalMs?: number;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export const DEFAULT_PURCHASE_DELAY_MS = 3000;
export const DEFAULT_DRAIN_MS = 60_000;
const LISTING_LIMIT = 1000;
/** The listing's `since` is the connector's clock: start it this much before the oldest pending 201. */
const SINCE_SLACK_MS = 60_000;
const MAX_SINGLE_READS_PER_POLL = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows the run's purchases to their final status, one listing call per poll. */
function purchaseFollower(
  client: ConnectorClient,
  storeId: string,
  tracker: CompletionTracker,
  log: (l: string) => void,
) {
  let failures = 0;
  const poll = async (phase: RunPhase): Promise<void> => {
    const oldest = tracker.oldestPendingAt();
    if (oldest === null) return;
    try {
      const query = new URLSearchParams({
        store: storeId,
        since: new Date(oldest - SINCE_SLACK_MS).toISOString(),
        limit: String(LISTING_LIMIT),
      });
      const rows = await client.ops<ListedPurchase[]>('GET', `/ops/v1/purchases?${query}`);
      tracker.observe(rows, Date.now(), phase);
      // Normally none: every 201'd trip is in the database before its answer, so in the listing too.
      const missing = tracker.pendingNotListed(rows, MAX_SINGLE_READS_PER_POLL);
      if (missing.length) {
        const one = await Promise.all(
          missing.map((tripId) =>
            client.ops<ListedPurchase>('GET', `/ops/v1/purchases/${encodeURIComponent(tripId)}`).catch(() => null),
          ),
        );
        tracker.observe(
          one.filter((row): row is ListedPurchase => row !== null),
          Date.now(),
          phase,
        );
      }
    } catch (err) {
      // A poll that fails under load is tried again at the next one; the backlog says what was not seen.
      if (failures++ === 0) log(`Following purchases: ${(err as Error).message} (retrying)`);
    }
  };
  return { poll };
}

export async function runStoreMix(options: StoreMixOptions): Promise<StoreMixResult> {
  const log = options.log ?? (() => undefined);
  const purchaseDelayMs = options.purchaseDelayMs ?? DEFAULT_PURCHASE_DELAY_MS;
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const client = connectorClient(options);
  const post = amazonPoster(options);
  const catalog = await buyableCatalog(client, options.storeId);

  const entryCount = Math.round(options.entriesPerSecond * options.durationSeconds);
  if (entryCount === 0) throw new Error('the rate and duration give no entry at all');
  const shopperCount = entryCount;
  const schedule = storeMixSchedule({
    entriesPerSecond: options.entriesPerSecond,
    durationSeconds: options.durationSeconds,
    purchaseDelayMs,
    shoppers: shopperCount,
  });
  log(
    `Store mix: ${entryCount} entries (${options.entriesPerSecond}/s for ${options.durationSeconds} s), ${shopperCount} shoppers; issuing the codes…`,
  );
  const shopperIds = await createLoadShoppers(client, shopperCount);
  const plannedStart = Date.now() + Math.max(2000, entryCount * 2);
  const codes = await prepareScanKeyCodes(
    client,
    shopperIds,
    schedule.map((e) => ({ index: e.index, at: new Date(plannedStart + e.entryAtMs), shopper: e.shopper })),
  );
  const early = plannedStart - Date.now();
  if (early > 0) await sleep(early);

  const random = seededRandom(1);
  const tracker = new CompletionTracker();
  const follower = purchaseFollower(client, options.storeId, tracker, log);
  const gateOutcomes: Outcome[] = [];
  const purchaseOutcomes: Outcome[] = [];
  const sendLags: number[] = [];
  let taken = 0;

  const checkout = async (authEvent: AuthEvent, visitor: { id: string; type: string }, dueAt: number) => {
    const wait = dueAt - performance.now();
    if (wait > 0) await sleep(wait);
    sendLags.push(performance.now() - dueAt);
    const tripId = randomUUID();
    const request = createPurchasesRequest({
      tripId,
      storeId: options.storeId,
      authEvent,
      visitor,
      startedAt: new Date(Date.parse(authEvent.timestamp)),
      endedAt: new Date(),
      cart: smallCart(random, catalog),
    });
    const { outcome } = await timed(() => post('/v1/order/purchases', request), dueAt);
    purchaseOutcomes.push(outcome);
    if ('status' in outcome && outcome.status === 201) {
      taken++;
      tracker.taken(tripId, Date.now());
    }
  };

  const startedAt = new Date();
  log(`Running for ${options.durationSeconds} s, purchases ${purchaseDelayMs / 1000} s after entry…`);
  let loadRunning = true;
  const polling = (async () => {
    while (loadRunning) {
      await sleep(pollIntervalMs);
      if (loadRunning) await follower.poll('run');
    }
  })();
  await runOpenLoop(schedule.length, options.entriesPerSecond, async ({ index, scheduledAt }) => {
    sendLags.push(performance.now() - scheduledAt);
    const request = identityKeysRequest(codes.get(index)!, options.storeId, new Date());
    const { outcome, answer } = await timed(() => post('/v1/identity/identity-keys', request), scheduledAt);
    gateOutcomes.push(outcome);
    if (answer?.status !== 200) return;
    // Due its delay after the entry was, and never before the gate let the shopper in.
    const dueAt = Math.max(scheduledAt + schedule[index].purchaseAtMs - schedule[index].entryAtMs, performance.now());
    await checkout(request.authEvent, answer.body.visitorDetails, dueAt);
  });
  loadRunning = false;
  await polling;
  await follower.poll('run');
  const backlogAtRunEnd = tracker.backlog;

  const drainStart = Date.now();
  if (backlogAtRunEnd)
    log(`Load stopped; ${backlogAtRunEnd} purchase(s) not final yet, draining up to ${drainMs / 1000} s…`);
  while (tracker.backlog && Date.now() - drainStart < drainMs) {
    await sleep(Math.min(pollIntervalMs, Math.max(0, drainMs - (Date.now() - drainStart))));
    await follower.poll('drain');
  }

  return storeMixResult({
    startedAt: startedAt.toISOString(),
    entriesPerSecond: options.entriesPerSecond,
    durationSeconds: options.durationSeconds,
    purchaseDelayMs,
    drainMs,
    gateP99TargetMs: options.gateP99TargetMs ?? DEFAULT_GATE_P99_TARGET_MS,
    shoppers: shopperCount,
    gateOutcomes,
    purchaseOutcomes,
    taken,
    completions: tracker.completions,
    backlogAtRunEnd,
    backlogAtDrainEnd: tracker.backlog,
    drainedMs: backlogAtRunEnd ? Date.now() - drainStart : 0,
    sendLagsMs: sendLags,
  });
}

/** Recorded like the plain load test's, so `jwo checklist --live` reads its gate p99. */
export async function recordStoreMixResult(address: ConnectorAddress, result: StoreMixResult): Promise<void> {
  await connectorClient(address).ops('POST', '/ops/v1/loadtests', {
    startedAt: result.startedAt,
    ratePerSecond: result.entriesPerSecond,
    durationSeconds: result.durationSeconds,
    gateP99Ms: result.gate.latency.p99,
    budgetHeld: result.verdict.held,
    result,
  });
}
