/**
 * `jwo simulate` and the end-to-end test: plays Amazon and a crowd of shoppers against a running
 * connector over HTTP, then reconciles what the connector recorded against what should have happened.
 */
import { randomBytes } from 'node:crypto';
import { connectorClient, type ConnectorAddress } from './connector';
import { visitStore, type SimulatedShopper, type VisitOutcome } from './journey';
import { CARD_TOKENS, planFingerprint, planRun, type PlannedVisit } from './plan';
import { reconcile, type Reconciliation, type TripRecord } from './reconcile';
import { settleTrips } from './settle';
import {
  catalogItemSchema,
  readStoreData,
  sellableItems,
  storePricingSchema,
  type CatalogItem,
  type StorePricing,
} from './storeData';

export interface SimulationOptions extends ConnectorAddress {
  storeId: string;
  seed: number;
  shoppers: number;
  ratePerSecond: number;
  durationSeconds?: number;
  /** How long to wait for the last purchases to settle. */
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SimulationResult {
  seed: number;
  fingerprint: string;
  plan: PlannedVisit[];
  currency: string;
  catalog: CatalogItem[];
  pricing: StorePricing;
  trips: TripRecord[];
  reconciliation: Reconciliation;
}

const CONCURRENT_SETUP_CALLS = 8;

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const log = options.log ?? (() => undefined);
  const client = connectorClient(options);
  // A second of slack: the connector's clock stamps the trips of this run.
  const auditFrom = Date.now() - 1000;
  const store = encodeURIComponent(options.storeId);
  const catalog = sellableItems(
    readStoreData(
      catalogItemSchema.array(),
      (await client.ops('GET', `/ops/v1/stores/${store}/catalog`)).items,
      'catalog',
    ),
  );
  const pricing = readStoreData(
    storePricingSchema,
    await client.ops('GET', `/ops/v1/stores/${store}/pricing`),
    'pricing',
  );

  const plan = planRun(options, catalog);
  const fingerprint = planFingerprint(plan);
  log(
    `Seed ${options.seed}: ${plan.length} shoppers over ${((plan.at(-1)?.arrivalMs ?? 0) / 1000).toFixed(1)} s (plan ${fingerprint}); store ${options.storeId}, ${catalog.length} catalog items.`,
  );

  // Fresh accounts each run: a declined card leaves a debt that would keep a reused account out.
  const runTag = randomBytes(3).toString('hex');
  const shoppers: SimulatedShopper[] = plan.map((visit) => ({
    shopperId: `sim-${runTag}-${String(visit.index).padStart(4, '0')}`,
    appToken: `sim-app-${runTag}-${randomBytes(12).toString('hex')}`,
  }));
  await inBatches(plan, CONCURRENT_SETUP_CALLS, async (visit) => {
    const shopper = shoppers[visit.index];
    await client.ops('POST', '/ops/v1/shoppers', {
      shopperId: shopper.shopperId,
      displayName: `Simulated shopper ${visit.index + 1}`,
      visitorType: 'SHOPPER',
      paymentToken: CARD_TOKENS[visit.card],
      paymentExpiry: '2099-12',
      appToken: shopper.appToken,
    });
  });

  const context = { client, storeId: options.storeId, catalog, pricing };
  const startedAt = Date.now();
  const visits = await Promise.all(
    plan.map(async (visit): Promise<VisitOutcome> => {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + visit.arrivalMs - Date.now())));
      return visitStore(context, visit, shoppers[visit.index]);
    }),
  );
  log(
    `All shoppers left after ${((Date.now() - startedAt) / 1000).toFixed(1)} s; waiting for their purchases to settle…`,
  );

  const delivered = visits.filter((v) => v.deliveries.length > 0).map((v) => v.tripId);
  const settled = await settleTrips(client, delivered, options.settleTimeoutMs ?? 120_000, log);
  if (settled.unsettled.length) log(`${settled.unsettled.length} purchase(s) did not settle in time.`);
  const trips: TripRecord[] = visits.map((v) => ({
    ...v,
    purchase: settled.purchases.get(v.tripId) ?? null,
    badCartRecorded: settled.badCartTrips.has(v.tripId),
  }));
  const reconciliation = reconcile(trips);
  // The connector's own check of its payment ledger over the run (the same as `jwo ledger audit --since`).
  const audit = await client.ops<{
    tripsChecked: number;
    violations: { kind: string; tripId: string | null; detail: string }[];
  }>('GET', `/ops/v1/ledger/audit?since=${encodeURIComponent(new Date(auditFrom).toISOString())}`);
  reconciliation.ledgerAudit = { tripsChecked: audit.tripsChecked, violations: audit.violations.length };
  reconciliation.mismatches.push(
    ...audit.violations.map((v) => `ledger audit: ${v.kind}${v.tripId ? ` ${v.tripId}` : ''}: ${v.detail}`),
  );
  return {
    seed: options.seed,
    fingerprint,
    plan,
    currency: pricing.currency,
    catalog,
    pricing,
    trips,
    reconciliation,
  };
}
