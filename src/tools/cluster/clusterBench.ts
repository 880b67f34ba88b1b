/**
 * `npm run bench:cluster` (also run by `npm run bench`): the gate and purchase benchmarks against
 * the cluster of `npm run cluster` (the Temporal server on PostgreSQL, 2 API replicas behind the
 * front door, 2 workers), each beside the same bare-Temporal baseline as the all-in-one's, on the
 * cluster's server in the same run: bare StartWorkflowExecution calls for the gate, bare
 * three-activity workflows for purchases. Starts its own cluster on ports from 24400 with fresh
 * databases. BENCH_REQUESTS (gate, default 400), BENCH_PURCHASES (200), BENCH_CONCURRENCY (16).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config';
import { openPostgres, type Database } from '../../adapters/db/database';
import { issueScanKeyFor } from '../../application/issueScanKey';
import { parseMacKeys } from '../../domain/scanKey';
import { DEMO_STORE_ID } from '../cli/demoStore';
import type { LoadJob } from '../bench/loadClient';
import { gateTable, type GateFigures } from '../bench/gateBench';
import { purchaseTable, type PurchaseFigures } from '../bench/purchaseBench';
import { admitBenchShoppers, postBenchPurchase } from '../bench/benchPurchase';
import { drive, machineLine, summarize } from '../bench/stats';
import { startCluster, type RunningCluster } from './clusterChild';

const LEVELS = [1, 8, 32];

function inChild(job: LoadJob): Promise<{ durationsMs: number[]; wallMs: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, '../bench/loadClient.js')],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load client failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
    child.stdin!.end(JSON.stringify(job));
  });
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the benchmark to settle');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const count = async (db: Database, sql: string) => (await db.query<{ n: number }>(sql))[0].n;

export async function runClusterBench(): Promise<{ gate: GateFigures[]; purchases: PurchaseFigures }> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // The cluster's processes run in demo mode with the demo's keys: the same settings here.
  const config = loadConfig({ ...process.env, DEMO_MODE: 'true' });
  const cluster: RunningCluster = await startCluster({
    apiReplicas: 2,
    workers: 2,
    basePort: Number(process.env.JWO_CLUSTER_BENCH_PORT || 24400),
    env: { GATE_RATE_LIMIT_PER_STORE: '100000', PREAUTH_HORIZON: '1h', LOG_LEVEL: 'warn' },
  });
  const db = await openPostgres(cluster.databaseUrl, { poolSize: 4 });
  const settings = {
    prefix: config.SCAN_KEY_PREFIX,
    keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
    windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
  };
  const headers = { 'content-type': 'application/json', [config.CONNECTOR_AUTH_HEADER]: config.CONNECTOR_API_KEYS[0] };
  try {
    // Purchases first, on an idle cluster (the gate's figures below leave entry workflows behind).
    const total = Number(process.env.BENCH_PURCHASES ?? 200);
    const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
    const baselineQueue = `baseline-${randomUUID()}`;
    const workerConnection = await NativeConnection.connect({ address: cluster.temporalAddress });
    const baselineWorker = await Worker.create({
      connection: workerConnection,
      taskQueue: baselineQueue,
      workflowsPath: require.resolve('../bench/baselineWorkflow'),
      activities: { noop: async (n: number) => n },
    });
    const baselineRun = baselineWorker.run();
    const clientConnection = await Connection.connect({ address: cluster.temporalAddress });
    const client = new Client({ connection: clientConnection });
    const baseline = await drive(total, concurrency, async () => {
      await client.workflow.execute('threeActivities', {
        taskQueue: baselineQueue,
        workflowId: `baseline-${randomUUID()}`,
      });
    });
    baselineWorker.shutdown();
    await baselineRun;
    await workerConnection.close();
    await clientConnection.close();

    const authorizedBefore = await count(db, 'SELECT count(*)::int AS n FROM payment_authorizations');
    const authEvents = await admitBenchShoppers(cluster.api, headers, db, settings, total);
    await until(
      async () =>
        (await count(db, 'SELECT count(*)::int AS n FROM payment_authorizations')) >= authorizedBefore + total,
    );
    const capturedBefore = await count(db, "SELECT count(*)::int AS n FROM purchases WHERE status = 'CAPTURED'");
    const started = performance.now();
    const requests = await drive(total, concurrency, (i) => postBenchPurchase(cluster.api, headers, authEvents[i]));
    await until(
      async () =>
        (await count(db, "SELECT count(*)::int AS n FROM purchases WHERE status = 'CAPTURED'")) >=
        capturedBefore + total,
    );
    const wallMs = performance.now() - started;
    const r = summarize(requests.durationsMs);
    const purchasesPerSecond = (total / wallMs) * 1000;
    const baselinePerSecond = (total / baseline.wallMs) * 1000;
    const purchases: PurchaseFigures = {
      purchases: total,
      concurrency,
      purchasesPerSecond,
      requestP50: r.p50,
      requestP99: r.p99,
      baselinePerSecond,
      ratio: purchasesPerSecond / baselinePerSecond,
    };

    // The gate: workers running, then stopped (the control endpoint), as in the all-in-one's table.
    const gateRequests = Number(process.env.BENCH_REQUESTS ?? 400);
    const gate: GateFigures[] = [];
    const measure = async (workers: GateFigures['workers'], level: number) => {
      const bare = await inChild({
        kind: 'bare',
        temporalAddress: cluster.temporalAddress,
        requests: gateRequests,
        concurrency: level,
      });
      const codes: string[] = [];
      for (let i = 0; i < gateRequests; i++) codes.push((await issueScanKeyFor(db, settings, 'shopper-001')).code);
      const result = await inChild({
        kind: 'gate',
        url: cluster.api,
        headers,
        storeId: DEMO_STORE_ID,
        codes,
        concurrency: level,
      });
      const g = summarize(result.durationsMs);
      const b = summarize(bare.durationsMs);
      const gateRps = (gateRequests / result.wallMs) * 1000;
      const bareRps = (gateRequests / bare.wallMs) * 1000;
      gate.push({
        workers,
        concurrency: level,
        gate: { rps: gateRps, p50: g.p50, p99: g.p99, errors: result.errors },
        bare: { rps: bareRps, p50: b.p50, p99: b.p99 },
        ratio: gateRps / bareRps,
      });
    };
    for (const level of LEVELS) await measure('running', level);
    for (const p of await cluster.processes()) {
      if (p.name.startsWith('worker-')) await fetch(`${cluster.control}/processes/${p.name}/stop`, { method: 'POST' });
    }
    for (const level of LEVELS) await measure('stopped', level);
    return { gate, purchases };
  } finally {
    await db.close();
    await cluster.stop();
  }
}

if (require.main === module) {
  runClusterBench()
    .then(({ gate, purchases }) => {
      // Read by runAll.ts, which drops blank lines: headings keep the tables apart.
      console.log(machineLine());
      console.log(
        'Against `npm run cluster` (the Temporal server on PostgreSQL, 2 API replicas behind the front door, 2 workers), with the same bare-Temporal baselines on that server in the same run.',
      );
      console.log('#### Identity Connector (gate), cluster');
      console.log(gateTable(gate));
      console.log('#### Ordering Connector (purchases end to end), cluster');
      console.log(purchaseTable(purchases));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
