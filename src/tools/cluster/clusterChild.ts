/**
 * Starts `npm run cluster`'s program (dist/tools/cluster/cluster.js: run `npm run build` first) as a
 * child process on ports of its own and fresh databases, and talks to its control endpoint. Used by
 * the cluster test and the cluster benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface ProcessInfo {
  name: string;
  pid: number | null;
  running: boolean;
  url: string | null;
  lastExit: string | null;
}

export interface RunningCluster {
  api: string;
  control: string;
  databaseUrl: string;
  temporalAddress: string;
  dataDir: string;
  processes(): Promise<ProcessInfo[]>;
  process(name: string): Promise<ProcessInfo>;
  start(name: string): Promise<ProcessInfo>;
  /** Waits until the cluster noticed that `name` exited. */
  waitStopped(name: string, timeoutMs?: number): Promise<ProcessInfo>;
  simulatorStats(
    since: number,
  ): Promise<{ requests: number; maxInAnySecond: number; minSpanOfElevenMs: number | null }>;
  frontDoor(): Promise<Record<string, number>>;
  output(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(180_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function startCluster(options: {
  apiReplicas: number;
  workers: number;
  basePort: number;
  env?: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Extra options of `cluster up`, e.g. ['--catalog-workers', '1']. */
  args?: string[];
}): Promise<RunningCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jwo-cluster-test-'));
  const p = options.basePort;
  const args = [
    // The same from src/tools/cluster (ts-jest) and dist/tools/cluster.
    resolve(__dirname, '../../../dist/tools/cluster/cluster.js'),
    'up',
    '--fresh',
    '--api-replicas',
    String(options.apiReplicas),
    '--workers',
    String(options.workers),
    '--api-port',
    String(p),
    '--control-port',
    String(p + 50),
    '--catalog-simulator-port',
    String(p + 51),
    '--ui-port',
    String(p + 52),
    '--temporal-port',
    String(p + 60),
    '--data-dir',
    dataDir,
    '--db-prefix',
    `jwo_cluster_test_${p}`,
    ...(options.args ?? []),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const stateFile = join(dataDir, 'cluster.json');
  const deadline = Date.now() + (options.startTimeoutMs ?? 30 * 60_000);
  while (!existsSync(stateFile)) {
    if (child.exitCode !== null) throw new Error(`npm run cluster exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGINT');
      throw new Error(`the cluster did not start in time:\n${output}`);
    }
    await sleep(500);
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const control: string = state.control;

  const cluster: RunningCluster = {
    api: state.api,
    control,
    databaseUrl: state.databaseUrl,
    temporalAddress: state.temporal.address,
    dataDir,
    processes: () => json<ProcessInfo[]>(`${control}/processes`),
    async process(name) {
      const found = (await cluster.processes()).find((x) => x.name === name);
      if (!found) throw new Error(`no process ${name}`);
      return found;
    },
    start: (name) => json<ProcessInfo>(`${control}/processes/${name}/start`, { method: 'POST' }),
    async waitStopped(name, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const info = await cluster.process(name);
        if (!info.running) return info;
        if (Date.now() > until) throw new Error(`${name} is still running`);
        await sleep(200);
      }
    },
    simulatorStats: (since) => json(`${control}/catalog-simulator?since=${since}`),
    frontDoor: async () => (await json<{ requests: Record<string, number> }>(`${control}/front-door`)).requests,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
  return cluster;
}
