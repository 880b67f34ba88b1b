/**
 * `npm run test:cluster`: the scaled-out topology of `npm run cluster` (the Temporal server on
 * PostgreSQL, 2 API replicas behind the front door, 2 workers each with its catalog worker, the
 * Catalog API simulator) under the failures it is built for. Traffic goes through the front door,
 * round robin to both replicas. In order:
 *
 * 1. a seeded `jwo simulate --shoppers 100` reconciles cleanly;
 * 2. a worker is SIGKILLed mid-simulation: every purchase answered 201 completes on the other, no
 *    trip is captured twice;
 * 3. an API replica is SIGKILLed mid-simulation: Amazon's retries land on the other replica; no
 *    answered purchase is lost;
 * 4. the Temporal server is restarted mid-simulation (SIGTERM, start again): running workflows
 *    continue, nothing is lost, nothing captured twice;
 * 5. a 50,000-item catalog upload with the 2 catalog workers: at most 10 Upload Catalog requests in
 *    any second at the simulator, every item accounted for.
 *
 * Killed processes are started again (the control endpoint) before the next step. Figures are
 * printed: purchases, captures, max requests per second.
 */
import { runSimulation, type SimulationResult } from '../../src/tools/simulator/journey/runSimulation';
import type { TripRecord } from '../../src/tools/simulator/journey/reconcile';
import { runCatalogLoad } from '../../src/tools/cluster/catalogLoad';
import { startCluster, type RunningCluster } from './clusterProcess';

const BASE_PORT = Number(process.env.JWO_CLUSTER_TEST_PORT || 23400);
const OPERATOR_KEY = 'demo-operator-key';
/** 50,000 items in requests of 250: 200 Upload Catalog requests, enough to keep the limit busy for 20 s. */
const CHUNK_SIZE = 250;
const STORE_ID = 'STORE-001';

let cluster: RunningCluster;
const figures: string[] = [];
const report = (line: string) => {
  figures.push(line);
  process.stderr.write(`[cluster test] ${line}\n`);
};

const approvedCaptures = (trip: TripRecord) =>
  (trip.purchase?.ledger ?? []).filter((e) => e.operation === 'CAPTURE' && e.outcome === 'APPROVED').length;
const answered201 = (trip: TripRecord) => trip.deliveries.some((d) => d.status === 201);

interface Outcome {
  result: SimulationResult;
  answered: TripRecord[];
  /** Answered 201 but not recorded, or recorded with a mismatch. */
  lost: string[];
  doubleCaptured: TripRecord[];
  captures: number;
}

function analyse(result: SimulationResult, label: string): Outcome {
  const answered = result.trips.filter(answered201);
  const answeredIds = new Set(answered.map((t) => t.tripId));
  const lost = result.reconciliation.mismatches.filter((m) => answeredIds.has(/^trip (\S+)/.exec(m)?.[1] ?? ''));
  const doubleCaptured = result.trips.filter((t) => approvedCaptures(t) > 1);
  const captures = result.trips.reduce((n, t) => n + approvedCaptures(t), 0);
  const r = result.reconciliation;
  report(
    `${label}: ${r.entries.scanned} shoppers, ${r.entries.admitted} admitted, ${answered.length} purchases answered 201, ` +
      `${r.purchases.recorded} recorded (${Object.entries(r.purchases.byStatus)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}), ${captures} captures, ${(r.captured.actualMinor / 100).toFixed(2)} captured of ` +
      `${(r.captured.expectedMinor / 100).toFixed(2)} expected, ${r.mismatches.length} mismatches`,
  );
  return { result, answered, lost, doubleCaptured, captures };
}

/** Runs a seeded simulation through the front door; `midway` runs once the shoppers are arriving. */
async function simulate(seed: number, shoppers: number, midway?: () => Promise<void>): Promise<SimulationResult> {
  let trigger: Promise<void> = Promise.resolve();
  const result = await runSimulation({
    apiUrl: cluster.api,
    operatorKey: OPERATOR_KEY,
    connectorKey: 'demo-connector-key',
    connectorAuthHeader: 'x-api-key',
    storeId: STORE_ID,
    seed,
    shoppers,
    ratePerSecond: 5,
    settleTimeoutMs: 300_000,
    log: (line) => {
      // The plan is logged before the shoppers are created (a few seconds), then they arrive over ~shoppers/5 s.
      if (midway && line.startsWith(`Seed ${seed}:`)) {
        trigger = new Promise((r) => setTimeout(r, 8_000)).then(midway);
      }
    },
  });
  await trigger;
  return result;
}

beforeAll(async () => {
  const started = Date.now();
  cluster = await startCluster({
    apiReplicas: 2,
    workers: 2,
    basePort: BASE_PORT,
    env: { CATALOG_CHUNK_SIZE: String(CHUNK_SIZE), CATALOG_POLL_INTERVAL: '1s' },
  });
  report(`cluster up in ${Math.round((Date.now() - started) / 1000)} s: API ${cluster.api}, Temporal ${cluster.temporalAddress}`);
}, 35 * 60_000);

afterAll(async () => {
  await cluster?.stop();
  process.stderr.write(`\n[cluster test] figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
}, 120_000);

test('1. a seeded simulation of 100 shoppers through both replicas reconciles cleanly', async () => {
  const before = await cluster.frontDoor();
  const outcome = analyse(await simulate(1401, 100), 'step 1 (steady)');
  const after = await cluster.frontDoor();
  const perReplica = Object.keys(after).map((name) => after[name] - (before[name] ?? 0));
  report(`step 1: requests per API replica ${perReplica.join(' / ')}`);
  expect(outcome.result.reconciliation.mismatches).toEqual([]);
  expect(outcome.doubleCaptured).toEqual([]);
  expect(perReplica.every((n) => n > 0)).toBe(true);
});

test('2. a worker SIGKILLed mid-simulation: every purchase answered 201 completes on the other, none captured twice', async () => {
  let killed = '';
  const outcome = analyse(
    await simulate(1402, 80, async () => {
      const worker = await cluster.process('worker-1');
      process.kill(worker.pid!, 'SIGKILL');
      killed = `worker-1 (pid ${worker.pid})`;
      await cluster.waitStopped('worker-1');
    }),
    'step 2 (worker SIGKILL)',
  );
  report(`step 2: killed ${killed}`);
  expect(killed).not.toBe('');
  expect(outcome.lost).toEqual([]);
  expect(outcome.result.reconciliation.mismatches).toEqual([]);
  expect(outcome.doubleCaptured).toEqual([]);
  await cluster.start('worker-1');
});

test('3. an API replica SIGKILLed mid-simulation: retries land on the other replica, nothing answered is lost', async () => {
  let killed = '';
  const outcome = analyse(
    await simulate(1403, 80, async () => {
      const api = await cluster.process('api-1');
      process.kill(api.pid!, 'SIGKILL');
      killed = `api-1 (pid ${api.pid})`;
      await cluster.waitStopped('api-1');
    }),
    'step 3 (API replica SIGKILL)',
  );
  // A gate scan in flight on the killed replica has its connection reset (Amazon does not retry a
  // gate scan: the store's default applies); that trip never reached a purchase. Nothing else may differ.
  const cut = outcome.result.trips.filter((t) => t.failure && !answered201(t));
  report(`step 3: killed ${killed}; ${cut.length} gate scan(s) cut with the replica`);
  expect(killed).not.toBe('');
  expect(outcome.lost).toEqual([]);
  expect(outcome.doubleCaptured).toEqual([]);
  const cutIds = new Set(cut.map((t) => t.tripId));
  expect(
    outcome.result.reconciliation.mismatches.filter((m) => !cutIds.has(/^trip (\S+)/.exec(m)?.[1] ?? '')),
  ).toEqual([]);
  expect(cut.length).toBeLessThanOrEqual(2);
  await cluster.start('api-1');
});

test('4. the Temporal server restarted mid-simulation: workflows continue, nothing lost, none captured twice', async () => {
  let downFor = 0;
  const outcome = analyse(
    await simulate(1404, 80, async () => {
      const server = await cluster.process('temporal-server');
      const stoppedAt = Date.now();
      process.kill(server.pid!, 'SIGTERM');
      await cluster.waitStopped('temporal-server', 120_000);
      await cluster.start('temporal-server');
      downFor = Date.now() - stoppedAt;
    }),
    'step 4 (Temporal restart)',
  );
  report(`step 4: the Temporal server was down ${(downFor / 1000).toFixed(1)} s`);
  expect(downFor).toBeGreaterThan(0);
  expect(outcome.lost).toEqual([]);
  expect(outcome.result.reconciliation.mismatches).toEqual([]);
  expect(outcome.doubleCaptured).toEqual([]);
});

test('5. a 50,000-item catalog upload with 2 catalog workers: at most 10 requests in any second, every item accounted for', async () => {
  const result = await runCatalogLoad({
    apiUrl: cluster.api,
    controlUrl: cluster.control,
    databaseUrl: cluster.databaseUrl,
    operatorKey: OPERATOR_KEY,
    storeId: 'LOAD-STORE',
    items: 50_000,
  });
  report(
    `step 5: ${result.items} items in ${result.chunks} requests of ${CHUNK_SIZE}: ${result.status}, ${result.succeeded} succeeded, ` +
      `${result.failed} failed; ${result.requests} requests at the simulator in ${result.seconds.toFixed(1)} s, ` +
      `max ${result.maxInAnySecond} in any second, 11 consecutive requests took at least ${result.minSpanOfElevenMs} ms`,
  );
  expect(result.maxInAnySecond).toBeLessThanOrEqual(10);
  expect(result.status).toBe('COMPLETED');
  expect(result.succeeded + result.failed + result.invalid + result.unknown).toBe(50_000);
  expect(result.succeeded).toBe(50_000);
  expect(result.requests).toBe(result.chunks);
});
