/**
 * `npm run bench:purchases`: completed purchase workflows per second, end to end over HTTP
 * (Create Purchases → pricing → capture against the pre-auth → receipt), beside a bare
 * three-activity workflow on the same Temporal server as the baseline. BENCH_PURCHASES sets the
 * number of purchases (default 200), BENCH_CONCURRENCY the requests in flight (default 16).
 */
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { parseMacKeys } from '../../domain/scanKey';
import { startBenchStack } from './benchStack';
import { admitBenchShoppers, postBenchPurchase } from './benchPurchase';
import { drive, machineLine, summarize } from './stats';

export interface PurchaseFigures {
  purchases: number;
  concurrency: number;
  purchasesPerSecond: number;
  requestP50: number;
  requestP99: number;
  baselinePerSecond: number;
  ratio: number;
}

async function until(check: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the benchmark to settle');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runPurchaseBench(
  total = Number(process.env.BENCH_PURCHASES ?? 200),
  concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16),
): Promise<PurchaseFigures> {
  const stack = await startBenchStack({ PREAUTH_HORIZON: '1h' });
  const { config, db, connector, server } = stack;
  const headers = { 'content-type': 'application/json', [config.CONNECTOR_AUTH_HEADER]: config.CONNECTOR_API_KEYS[0] };
  try {
    // Baseline: the same number of three-activity workflows, same concurrency, same server.
    const baselineQueue = `baseline-${randomUUID()}`;
    const connection = await NativeConnection.connect({ address: server.address });
    const baselineWorker = await Worker.create({
      connection,
      taskQueue: baselineQueue,
      workflowsPath: require.resolve('./baselineWorkflow'),
      activities: { noop: async (n: number) => n },
    });
    const baselineRun = baselineWorker.run();
    const baseline = await drive(total, concurrency, async () => {
      await connector.client.workflow.execute('threeActivities', {
        taskQueue: baselineQueue,
        workflowId: `baseline-${randomUUID()}`,
      });
    });
    baselineWorker.shutdown();
    await baselineRun;
    await connection.close();

    // Shoppers enter first (not measured): each trip has its pre-auth placed.
    const settings = {
      prefix: config.SCAN_KEY_PREFIX,
      keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
      windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
    };
    const authEvents = await admitBenchShoppers(connector.url, headers, db, settings, total);
    await until(
      async () =>
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_authorizations'))[0].n >= total,
    );

    const started = performance.now();
    const requests = await drive(total, concurrency, (i) => postBenchPurchase(connector.url, headers, authEvents[i]));
    await until(
      async () =>
        (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM purchases WHERE status = 'CAPTURED'"))[0].n >=
        total,
    );
    const wallMs = performance.now() - started;
    const r = summarize(requests.durationsMs);
    const purchasesPerSecond = (total / wallMs) * 1000;
    const baselinePerSecond = (total / baseline.wallMs) * 1000;
    return {
      purchases: total,
      concurrency,
      purchasesPerSecond,
      requestP50: r.p50,
      requestP99: r.p99,
      baselinePerSecond,
      ratio: purchasesPerSecond / baselinePerSecond,
    };
  } finally {
    await stack.close();
  }
}

export function purchaseTable(f: PurchaseFigures): string {
  return [
    '| purchases | concurrency | completed purchases/s | Create Purchases p50 ms | p99 ms | bare 3-activity workflows/s | ratio |',
    '|---|---|---|---|---|---|---|',
    `| ${f.purchases} | ${f.concurrency} | ${f.purchasesPerSecond.toFixed(1)} | ${f.requestP50.toFixed(1)} | ${f.requestP99.toFixed(1)} | ${f.baselinePerSecond.toFixed(1)} | ${(f.ratio * 100).toFixed(0)}% |`,
  ].join('\n');
}

if (require.main === module) {
  runPurchaseBench()
    .then((f) => {
      console.log(machineLine());
      console.log(purchaseTable(f));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
