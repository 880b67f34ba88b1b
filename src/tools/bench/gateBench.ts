/**
 * `npm run bench:gate`: the Identity Connector over HTTP with valid Scan Key Codes at rising
 * concurrency, beside the floor it cannot beat: the same client doing bare
 * StartWorkflowExecution calls on the same Temporal server, both driven from a child process (the
 * client is not the server's neighbour on its event loop). Prints throughput, p50 and p99 and
 * the ratio, twice: with the worker running the entry workflows on the same 2 cores (the whole
 * system on one machine), and with the worker stopped (the gate's own path: what the API adds to
 * the start, as when workers run on other machines). BENCH_REQUESTS sets the requests per level
 * (default 400); DATABASE_URL measures on PostgreSQL instead of the embedded PGlite.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { issueScanKeyFor } from '../../application/issueScanKey';
import { parseMacKeys } from '../../domain/scanKey';
import { DEMO_STORE_ID } from '../cli/demoStore';
import { startBenchStack } from './benchStack';
import type { LoadJob } from './loadClient';
import { machineLine, summarize } from './stats';

const LEVELS = [1, 8, 32];

export interface GateFigures {
  workers: 'running' | 'stopped';
  concurrency: number;
  gate: { rps: number; p50: number; p99: number; errors: number };
  bare: { rps: number; p50: number; p99: number };
  ratio: number;
}

/** Runs one load job in a child process (see loadClient.ts). */
function inChild(job: LoadJob): Promise<{ durationsMs: number[]; wallMs: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(__dirname, 'loadClient.js')],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`load client failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout));
      },
    );
    child.stdin!.end(JSON.stringify(job));
  });
}

export async function runGateBench(requests = Number(process.env.BENCH_REQUESTS ?? 400)): Promise<GateFigures[]> {
  const stack = await startBenchStack();
  const { config, db, connector } = stack;
  const settings = {
    prefix: config.SCAN_KEY_PREFIX,
    keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
    windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
  };
  const figures: GateFigures[] = [];
  const headers = { 'content-type': 'application/json', [config.CONNECTOR_AUTH_HEADER]: config.CONNECTOR_API_KEYS[0] };

  const measure = async (workers: GateFigures['workers'], concurrency: number) => {
    const bare = await inChild({ kind: 'bare', temporalAddress: stack.server.address, requests, concurrency });
    const codes: string[] = [];
    for (let i = 0; i < requests; i++)
      codes.push((await issueScanKeyFor(db, settings, 'shopper-001', new Date(), { keepEarlierCodes: true })).code);
    const gate = await inChild({
      kind: 'gate',
      url: connector.url,
      headers,
      storeId: DEMO_STORE_ID,
      codes,
      concurrency,
    });
    const g = summarize(gate.durationsMs);
    const b = summarize(bare.durationsMs);
    const gateRps = (requests / gate.wallMs) * 1000;
    const bareRps = (requests / bare.wallMs) * 1000;
    figures.push({
      workers,
      concurrency,
      gate: { rps: gateRps, p50: g.p50, p99: g.p99, errors: gate.errors },
      bare: { rps: bareRps, p50: b.p50, p99: b.p99 },
      ratio: gateRps / bareRps,
    });
  };

  try {
    for (const concurrency of LEVELS) await measure('running', concurrency);
    // Let the entry workflows started so far finish, then stop the worker for the gate-path figures.
    await connector.stopWorkers();
    for (const concurrency of LEVELS) await measure('stopped', concurrency);
  } finally {
    await stack.close();
  }
  return figures;
}

export function gateTable(figures: GateFigures[]): string {
  const rows = figures.map(
    (f) =>
      `| ${f.workers} | ${f.concurrency} | ${f.gate.rps.toFixed(0)} | ${f.gate.p50.toFixed(1)} | ${f.gate.p99.toFixed(1)} | ${f.gate.errors} | ${f.bare.rps.toFixed(0)} | ${f.bare.p50.toFixed(1)} | ${f.bare.p99.toFixed(1)} | ${(f.ratio * 100).toFixed(0)}% |`,
  );
  return [
    '| entry workflows | concurrency | gate req/s | gate p50 ms | gate p99 ms | gate errors | bare start/s | bare p50 ms | bare p99 ms | gate/bare |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

if (require.main === module) {
  runGateBench()
    .then((figures) => {
      console.log(machineLine());
      console.log(gateTable(figures));
      process.exit(0);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
