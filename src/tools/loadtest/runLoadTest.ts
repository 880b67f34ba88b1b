/**
 * `jwo loadtest`: the peak-load test of Amazon's test plan (jwo-api.md §5). Gate scans and Create
 * Purchases arrive at a fixed total rate for a fixed time (open loop), against a running connector.
 *
 * - Scan Key Codes are issued before the clock starts, through the operator API, each for the
 *   moment its scan is scheduled: issuing is the app backend's work, not the gate's, and is not measured.
 * - A purchase closes the trip of a scan admitted at least MIN_TRIP_MS earlier in the run (real
 *   trips last minutes, so the entry's pre-auth is in place when the cart arrives); when none is
 *   free (at the start, or with a purchase ratio above one half) it carries an auth event the gate
 *   never saw, as after the gate's store default let a shopper in, and is charged without a pre-auth.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { amazonTime, createPurchasesRequest, identityKeysRequest, type AuthEvent } from '../simulator/journey/amazon';
import {
  callJson,
  connectorClient,
  type ConnectorAddress,
  type ConnectorClient,
  type HttpAnswer,
} from '../simulator/journey/connector';
import type { PlannedCartItem } from '../simulator/journey/plan';
import { seededRandom, type Random } from '../simulator/journey/random';
import { catalogItemSchema, readStoreData, sellableItems, type CatalogItem } from '../simulator/journey/storeData';
import { endpointReport, gateVerdict, type EndpointReport, type GateVerdict, type Outcome } from './endpointReport';
import { summarizeLatencies, type LatencySummary } from './latencyStats';
import { runOpenLoop } from './openLoop';

export interface LoadTestOptions extends ConnectorAddress {
  storeId: string;
  ratePerSecond: number;
  durationSeconds: number;
  /** Share of arrivals that are purchases; the rest are gate scans. */
  purchaseRatio: number;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface LoadTestResult {
  startedAt: string;
  ratePerSecond: number;
  durationSeconds: number;
  purchaseRatio: number;
  gate: EndpointReport;
  purchases: EndpointReport;
  verdict: GateVerdict;
  /** Any non-2xx answer or failure on either endpoint. */
  clean: boolean;
  /**
   * How late requests left this process after their scheduled time. Latencies include it (open
   * loop); a large lag means this machine, not the connector, was the bottleneck.
   */
  sendLag: LatencySummary;
}

const LOAD_SHOPPERS = 20;
const MIN_TRIP_MS = 5000;
const CONCURRENT_SETUP_CALLS = 8;

interface Entry {
  authEvent: AuthEvent;
  visitor: { id: string; type: string };
  admittedAt: number;
}

/** Purchases are spread evenly among the arrivals: arrival i is one when the running share crosses a whole number. */
export const isPurchaseArrival = (index: number, ratio: number): boolean =>
  Math.floor((index + 1) * ratio) > Math.floor(index * ratio);

export async function timed(
  send: () => Promise<HttpAnswer>,
  scheduledAt: number,
): Promise<{ outcome: Outcome; answer: HttpAnswer | null }> {
  try {
    const answer = await send();
    return { outcome: { status: answer.status, latencyMs: performance.now() - scheduledAt }, answer };
  } catch (err) {
    const failure = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    return { outcome: { failure, latencyMs: performance.now() - scheduledAt }, answer: null };
  }
}

/** Shoppers with a card that captures (tok_visa), created in the store for this run only. */
export async function createLoadShoppers(client: ConnectorClient, count = LOAD_SHOPPERS): Promise<string[]> {
  const tag = randomBytes(3).toString('hex');
  const digits = String(count - 1).length;
  const shopperIds = Array.from(
    { length: count },
    (_, i) => `load-${tag}-${String(i).padStart(Math.max(2, digits), '0')}`,
  );
  for (let i = 0; i < shopperIds.length; i += CONCURRENT_SETUP_CALLS) {
    await Promise.all(
      shopperIds.slice(i, i + CONCURRENT_SETUP_CALLS).map((shopperId) =>
        client.ops('POST', '/ops/v1/shoppers', {
          shopperId,
          displayName: 'Load test shopper',
          visitorType: 'SHOPPER',
          paymentToken: 'tok_visa',
          paymentExpiry: '2099-12',
          appToken: `load-app-${randomBytes(12).toString('hex')}`,
        }),
      ),
    );
  }
  return shopperIds;
}

/** One code per scheduled scan, issued for its scheduled time so the gate's window holds for runs of any length. */
export async function prepareScanKeyCodes(
  client: ConnectorClient,
  shopperIds: string[],
  /** `shopper` indexes `shopperIds`; without it, shoppers take turns in the order of the scans. */
  scans: { index: number; at: Date; shopper?: number }[],
): Promise<Map<number, string>> {
  const codes = new Map<number, string>();
  for (let i = 0; i < scans.length; i += CONCURRENT_SETUP_CALLS) {
    await Promise.all(
      scans.slice(i, i + CONCURRENT_SETUP_CALLS).map(async ({ index, at, shopper }, j) => {
        const issued = await client.ops('POST', '/ops/v1/scan-keys', {
          shopperId: shopperIds[(shopper ?? i + j) % shopperIds.length],
          at: at.toISOString(),
        });
        codes.set(index, issued.code);
      }),
    );
  }
  return codes;
}

export function smallCart(random: Random, catalog: readonly CatalogItem[]): PlannedCartItem[] {
  return random.sample(catalog, random.int(1, 3)).map((item, i) => ({
    lineItemId: `L${i + 1}`,
    sku: item.sku,
    id: item.sku,
    type: 'SKU',
    quantity:
      item.pricingUnit === 'each'
        ? { value: `${random.int(1, 3)}.0`, unit: 'unit' }
        : { value: (random.int(20, 300) / 100).toFixed(2), unit: item.pricingUnit },
  }));
}

/** Posts to one of Amazon's endpoints with the connector key, as Amazon would. */
export function amazonPoster(options: ConnectorAddress & { requestTimeoutMs?: number }) {
  const base = options.apiUrl.replace(/\/$/, '');
  return (path: string, body: unknown) =>
    callJson(base + path, {
      method: 'POST',
      headers: { [options.connectorAuthHeader]: options.connectorKey },
      body,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
    });
}

/** The store's priced items, which carts are made of; a store without any cannot be load-tested. */
export async function buyableCatalog(client: ConnectorClient, storeId: string): Promise<CatalogItem[]> {
  const catalog = sellableItems(
    readStoreData(
      catalogItemSchema.array(),
      (await client.ops('GET', `/ops/v1/stores/${encodeURIComponent(storeId)}/catalog`)).items,
      'catalog',
    ),
  );
  if (catalog.length === 0) throw new Error(`store ${storeId} has no priced catalog items to buy`);
  return catalog;
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const log = options.log ?? (() => undefined);
  const client = connectorClient(options);
  const post = amazonPoster(options);
  const catalog = await buyableCatalog(client, options.storeId);
  const shopperIds = await createLoadShoppers(client);

  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const intervalMs = 1000 / options.ratePerSecond;
  const isPurchase = Array.from({ length: total }, (_, i) => isPurchaseArrival(i, options.purchaseRatio));
  const scanIndexes = isPurchase.flatMap((purchase, i) => (purchase ? [] : [i]));
  log(
    `Preparing ${scanIndexes.length} Scan Key Codes for ${total} arrivals (${options.ratePerSecond}/s for ${options.durationSeconds} s, purchase ratio ${options.purchaseRatio})…`,
  );
  const plannedStart = Date.now() + Math.max(2000, scanIndexes.length * 2);
  const codes = await prepareScanKeyCodes(
    client,
    shopperIds,
    scanIndexes.map((index) => ({ index, at: new Date(plannedStart + index * intervalMs) })),
  );
  const early = plannedStart - Date.now();
  if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));

  const random = seededRandom(1);
  const admitted: Entry[] = [];
  const gateOutcomes: Outcome[] = [];
  const purchaseOutcomes: Outcome[] = [];
  const sendLags: number[] = [];
  const startedAt = new Date();
  log(`Running for ${options.durationSeconds} s…`);
  await runOpenLoop(total, options.ratePerSecond, async ({ index, scheduledAt }) => {
    sendLags.push(performance.now() - scheduledAt);
    if (!isPurchase[index]) {
      const request = identityKeysRequest(codes.get(index)!, options.storeId, new Date());
      const { outcome, answer } = await timed(() => post('/v1/identity/identity-keys', request), scheduledAt);
      gateOutcomes.push(outcome);
      if (answer?.status === 200)
        admitted.push({
          authEvent: request.authEvent,
          visitor: answer.body.visitorDetails,
          admittedAt: performance.now(),
        });
      return;
    }
    const now = new Date();
    const entry =
      admitted.length && performance.now() - admitted[0].admittedAt >= MIN_TRIP_MS ? admitted.shift()! : null;
    const request = createPurchasesRequest({
      tripId: randomUUID(),
      storeId: options.storeId,
      authEvent: entry?.authEvent ?? {
        id: randomUUID(),
        timestamp: amazonTime(new Date(now.getTime() - 60_000)),
        location: 'ENTRY',
      },
      visitor: entry?.visitor ?? { id: random.pick(shopperIds), type: 'SHOPPER' },
      startedAt: entry ? new Date(Date.parse(entry.authEvent.timestamp)) : new Date(now.getTime() - 60_000),
      endedAt: now,
      cart: smallCart(random, catalog),
    });
    const { outcome } = await timed(() => post('/v1/order/purchases', request), scheduledAt);
    purchaseOutcomes.push(outcome);
  });

  const gate = endpointReport(gateOutcomes);
  const purchases = endpointReport(purchaseOutcomes);
  return {
    startedAt: startedAt.toISOString(),
    ratePerSecond: options.ratePerSecond,
    durationSeconds: options.durationSeconds,
    purchaseRatio: options.purchaseRatio,
    gate,
    purchases,
    verdict: gateVerdict(gate),
    clean: gate.succeeded === gate.requests && purchases.succeeded === purchases.requests,
    sendLag: summarizeLatencies(sendLags),
  };
}

/** Kept by the connector, so the latest measured figure can be looked up (GET /ops/v1/loadtests/latest). */
export async function recordLoadTestResult(address: ConnectorAddress, result: LoadTestResult): Promise<void> {
  await connectorClient(address).ops('POST', '/ops/v1/loadtests', {
    startedAt: result.startedAt,
    ratePerSecond: result.ratePerSecond,
    durationSeconds: result.durationSeconds,
    gateP99Ms: result.gate.latency.p99,
    budgetHeld: result.verdict.held,
    result,
  });
}
