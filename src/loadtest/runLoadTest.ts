/**
 * `jwo loadtest`: the peak-load test of Amazon's test plan (jwo-api.md §5). Gate scans and Create
 * Purchases arrive at a fixed total rate for a fixed time (open loop), against a running connector.
 *
 * - Scan Key Codes are issued before the clock starts, through the operator API, each for the
 *   moment its scan is scheduled: issuing is the app backend's work, not the gate's, and is not measured.
 * - A purchase closes the trip of a scan that was admitted earlier in the run; when none is free
 *   (at the start, or with a purchase ratio above one half) it carries an auth event the gate never
 *   saw, as after the gate's store default let a shopper in, and is charged without a pre-auth.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { amazonTime, createPurchasesRequest, identityKeysRequest, type AuthEvent } from '../simulator/journey/amazon';
import { callJson, connectorClient, type ConnectorAddress, type HttpAnswer } from '../simulator/journey/connector';
import { seededRandom } from '../simulator/journey/random';
import { catalogItemSchema, sellableItems } from '../simulator/journey/storeData';
import { endpointReport, gateVerdict, type EndpointReport, type GateVerdict, type Outcome } from './endpointReport';
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
}

const LOAD_SHOPPERS = 20;
const CONCURRENT_SETUP_CALLS = 8;

/** Purchases are spread evenly among the arrivals: arrival i is one when the running share crosses a whole number. */
export const isPurchaseArrival = (index: number, ratio: number): boolean => Math.floor((index + 1) * ratio) > Math.floor(index * ratio);

async function timed(send: () => Promise<HttpAnswer>, scheduledAt: number): Promise<{ outcome: Outcome; answer: HttpAnswer | null }> {
  try {
    const answer = await send();
    return { outcome: { status: answer.status, latencyMs: performance.now() - scheduledAt }, answer };
  } catch (err) {
    const failure = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
    return { outcome: { failure, latencyMs: performance.now() - scheduledAt }, answer: null };
  }
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const log = options.log ?? (() => undefined);
  const client = connectorClient(options);
  const base = options.apiUrl.replace(/\/$/, '');
  const amazonHeaders = { [options.connectorAuthHeader]: options.connectorKey };
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const intervalMs = 1000 / options.ratePerSecond;
  const kinds = Array.from({ length: total }, (_, i) => (isPurchaseArrival(i, options.purchaseRatio) ? 'purchase' : 'gate'));
  const gateArrivals = kinds.flatMap((kind, i) => (kind === 'gate' ? [i] : []));

  const catalog = sellableItems(catalogItemSchema.array().parse((await client.ops('GET', `/ops/v1/stores/${encodeURIComponent(options.storeId)}/catalog`)).items));
  if (catalog.length === 0) throw new Error(`store ${options.storeId} has no priced catalog items to buy`);
  const tag = randomBytes(3).toString('hex');
  const shopperIds = Array.from({ length: LOAD_SHOPPERS }, (_, i) => `load-${tag}-${String(i).padStart(2, '0')}`);
  for (const shopperId of shopperIds) {
    await client.ops('POST', '/ops/v1/shoppers', { shopperId, displayName: 'Load test shopper', visitorType: 'SHOPPER', paymentToken: 'tok_visa', paymentExpiry: '2099-12', appToken: `load-app-${randomBytes(12).toString('hex')}` });
  }

  // Each code is issued for its scheduled scan time, so the gate's time window holds for runs of any length.
  const preparation = Date.now();
  const plannedStart = preparation + Math.max(2000, gateArrivals.length * 2);
  log(`Preparing ${gateArrivals.length} Scan Key Codes for ${total} arrivals (${options.ratePerSecond}/s for ${options.durationSeconds} s, purchase ratio ${options.purchaseRatio})…`);
  const codes = new Map<number, string>();
  for (let i = 0; i < gateArrivals.length; i += CONCURRENT_SETUP_CALLS) {
    await Promise.all(
      gateArrivals.slice(i, i + CONCURRENT_SETUP_CALLS).map(async (index, j) => {
        const at = new Date(plannedStart + index * intervalMs).toISOString();
        const issued = await client.ops('POST', '/ops/v1/scan-keys', { shopperId: shopperIds[(i + j) % shopperIds.length], at });
        codes.set(index, issued.code);
      }),
    );
  }
  const early = plannedStart - Date.now();
  if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));

  const random = seededRandom(1);
  const admitted: { authEvent: AuthEvent; visitor: { id: string; type: string } }[] = [];
  const gateOutcomes: Outcome[] = [];
  const purchaseOutcomes: Outcome[] = [];
  const startedAt = new Date();
  log(`Running for ${options.durationSeconds} s…`);
  await runOpenLoop(total, options.ratePerSecond, async ({ index, scheduledAt }) => {
    if (kinds[index] === 'gate') {
      const request = identityKeysRequest(codes.get(index)!, options.storeId, new Date());
      const { outcome, answer } = await timed(() => callJson(`${base}/v1/identity/identity-keys`, { method: 'POST', headers: amazonHeaders, body: request, timeoutMs }), scheduledAt);
      gateOutcomes.push(outcome);
      if (answer?.status === 200) admitted.push({ authEvent: request.authEvent, visitor: answer.body.visitorDetails });
      return;
    }
    const now = new Date();
    const trip = admitted.shift() ?? {
      authEvent: { id: randomUUID(), timestamp: amazonTime(new Date(now.getTime() - 60_000)), location: 'ENTRY' as const },
      visitor: { id: random.pick(shopperIds), type: 'SHOPPER' },
    };
    const cart = random.sample(catalog, random.int(1, 3)).map((item, i) => ({
      lineItemId: `L${i + 1}`,
      sku: item.sku,
      id: item.sku,
      type: 'SKU' as const,
      quantity: item.pricingUnit === 'each' ? { value: `${random.int(1, 3)}.0`, unit: 'unit' } : { value: (random.int(20, 300) / 100).toFixed(2), unit: item.pricingUnit },
    }));
    const request = createPurchasesRequest({ tripId: randomUUID(), storeId: options.storeId, authEvent: trip.authEvent, visitor: trip.visitor, startedAt: new Date(Date.parse(trip.authEvent.timestamp)), endedAt: now, cart });
    const { outcome } = await timed(() => callJson(`${base}/v1/order/purchases`, { method: 'POST', headers: amazonHeaders, body: request, timeoutMs }), scheduledAt);
    purchaseOutcomes.push(outcome);
  });

  const gate = endpointReport(gateOutcomes);
  const purchases = endpointReport(purchaseOutcomes);
  const clean = gate.succeeded === gate.requests && purchases.succeeded === purchases.requests;
  return { startedAt: startedAt.toISOString(), ratePerSecond: options.ratePerSecond, durationSeconds: options.durationSeconds, purchaseRatio: options.purchaseRatio, gate, purchases, verdict: gateVerdict(gate), clean };
}
