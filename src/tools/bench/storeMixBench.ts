/**
 * `npm run bench:store`: the store mix (`jwo loadtest --mix store`) against the all-in-one as a user
 * runs it (`jwo start`: API, worker and PGlite in one process, the Temporal dev server beside it), at
 * each rate of BENCH_STORE_RATES (default 20,50,100 entries a second) for BENCH_STORE_SECONDS
 * (default 60) with a drain of as long. Each rate gets a fresh all-in-one on a fresh DATA_DIR, so
 * one rate's backlog never weighs on the next; this process is the load generator. Prints one row
 * per rate, missed targets named.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../config';
import { DEMO_STORE_ID } from '../cli/demoStore';
import { freePort } from '../devserver/devServer';
import { runStoreMix } from '../loadtest/runStoreMix';
import type { StoreMixResult } from '../loadtest/storeMixReport';
import { machineLine } from './stats';

const JWO = join(__dirname, '../cli/jwo.js');

interface AllInOne {
  url: string;
  stop(): Promise<void>;
}

async function startAllInOne(): Promise<AllInOne> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jwo-store-bench-'));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [JWO, 'start'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jwo start exited (${child.exitCode}):\n${stderr}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`jwo start was not ready in 5 minutes:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    async stop() {
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ms = (value: number | null) => (value === null ? '–' : value.toFixed(0));

function row(r: StoreMixResult): string {
  const { gate, purchases, completion } = r;
  return [
    r.entriesPerSecond,
    `${ms(gate.latency.p50)} / ${ms(gate.latency.p95)} / ${ms(gate.latency.p99)}`,
    gate.serverErrors,
    `${purchases.byStatus['201'] ?? 0} of ${purchases.requests}`,
    `${completion.completed} of ${completion.taken} (${completion.completedInRun} in the run)`,
    completion.backlogAtDrainEnd,
    ms(completion.latency.p50),
    r.targets.met ? 'met' : `missed: ${r.targets.missed.join('; ')}`,
  ].join(' | ');
}

async function main(): Promise<void> {
  const rates = (process.env.BENCH_STORE_RATES ?? '20,50,100').split(',').map(Number);
  const seconds = Number(process.env.BENCH_STORE_SECONDS ?? 60);
  // The all-in-one's demo keys: the bench starts it in demo mode.
  const demo = loadConfig({ DEMO_MODE: 'true' });
  const rows: string[] = [];
  for (const rate of rates) {
    process.stderr.write(`store mix at ${rate} entries/s for ${seconds} s…\n`);
    const allInOne = await startAllInOne();
    try {
      const result = await runStoreMix({
        apiUrl: allInOne.url,
        operatorKey: demo.OPERATOR_API_KEYS[0],
        connectorKey: demo.CONNECTOR_API_KEYS[0],
        connectorAuthHeader: demo.CONNECTOR_AUTH_HEADER,
        storeId: DEMO_STORE_ID,
        entriesPerSecond: rate,
        durationSeconds: seconds,
        drainMs: seconds * 1000,
      });
      rows.push(`| ${row(result)} |`);
    } finally {
      await allInOne.stop();
    }
  }
  process.stdout.write(
    [
      machineLine(),
      '',
      `All-in-one (\`jwo start\`), store mix for ${seconds} s each, purchases 3 s after entry, drain up to ${seconds} s; the same as \`jwo loadtest --mix store --entries-per-second R --duration ${seconds} --drain ${seconds}s\`.`,
      '',
      '| entries/s | gate p50 / p95 / p99 ms | gate 5xx | purchases answered 201 | completed by the end of the drain | backlog after the drain | completion p50 ms | targets |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
