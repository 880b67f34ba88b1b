/**
 * The cluster's child processes. Each runs under a tiny watchdog (`node -e WATCHDOG -- cmd …`)
 * that stops it when `npm run cluster` dies, SIGKILL included (the watchdog reads end-of-file
 * on its stdin pipe, as ../devserver/supervisor.ts does for the dev server), and writes its output
 * to a log file. The watchdog's first line on stdout is the real process's pid, so tests can
 * SIGKILL the process itself. A process that exits is not restarted by itself: `start()` again
 * (the control endpoint's POST /processes/<name>/start) brings it back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

const WATCHDOG_MARKER = 'jwo-cluster-watchdog';
const GRACE_MS = 15_000;

const WATCHDOG_SOURCE = `// ${WATCHDOG_MARKER}
'use strict';
const { spawn } = require('node:child_process');
const { openSync } = require('node:fs');
const { constants } = require('node:os');
const [logFile, cwd, cmd, ...args] = process.argv.slice(1);
const out = openSync(logFile, 'a');
const child = spawn(cmd, args, { cwd, stdio: ['ignore', out, out] });
let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  try { child.kill(signal || 'SIGTERM'); } catch {}
  setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, ${GRACE_MS}).unref();
}
process.stdout.on('error', () => undefined);
child.on('error', (err) => { process.stderr.write('cannot run ' + cmd + ': ' + err.message + '\\n'); process.exit(127); });
child.on('spawn', () => process.stdout.write(child.pid + '\\n'));
child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] || 0) : code === null ? 1 : code));
process.stdin.on('end', () => stop());
process.stdin.on('close', () => stop());
process.stdin.on('error', () => stop());
process.stdin.resume();
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => stop('SIGTERM'));
`;

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** Resolves when the process is ready; rejects (or times out) otherwise. */
  ready: (process: ManagedProcess) => Promise<void>;
  /** For the listing: where it answers. */
  url?: string;
  readyTimeoutMs?: number;
}

export interface ProcessInfo {
  name: string;
  pid: number | null;
  running: boolean;
  url: string | null;
  logFile: string;
  lastExit: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ManagedProcess {
  private watchdog: ChildProcess | null = null;
  pid: number | null = null;
  lastExit: string | null = null;
  private exited: Promise<void> = Promise.resolve();
  /** Called when the process exits without stop() having been asked. */
  onUnexpectedExit: (process: ManagedProcess, how: string) => void = () => undefined;
  private stopping = false;

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.watchdog !== null;
  }

  info(): ProcessInfo {
    return {
      name: this.name,
      pid: this.pid,
      running: this.running,
      url: this.spec.url ?? null,
      logFile: this.spec.logFile,
      lastExit: this.lastExit,
    };
  }

  /** The last lines of its log, for error messages. */
  tail(lines = 20): string {
    if (!existsSync(this.spec.logFile)) return '';
    return readFileSync(this.spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** Log size now: readiness checks look only at what was written after it. */
  logOffset(): number {
    return existsSync(this.spec.logFile) ? readFileSync(this.spec.logFile).length : 0;
  }

  logSince(offset: number): string {
    return existsSync(this.spec.logFile) ? readFileSync(this.spec.logFile).subarray(offset).toString() : '';
  }

  async start(): Promise<void> {
    if (this.watchdog) return;
    const { spec } = this;
    mkdirSync(dirname(spec.logFile), { recursive: true });
    closeSync(openSync(spec.logFile, 'a'));
    this.stopping = false;
    const child = spawn(
      process.execPath,
      ['-e', WATCHDOG_SOURCE, '--', spec.logFile, spec.cwd, spec.command, ...spec.args],
      { env: spec.env, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    child.stdin!.on('error', () => undefined);
    this.watchdog = child;
    this.pid = await new Promise<number | null>((resolve) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = /^(\d+)\n/.exec(out);
        if (line) resolve(Number(line[1]));
      });
      child.once('exit', () => resolve(null));
    });
    this.exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        this.lastExit = describeWatchdogExit(code);
        this.watchdog = null;
        this.pid = null;
        if (!this.stopping) this.onUnexpectedExit(this, this.lastExit);
        resolve();
      }),
    );
    if (child.exitCode !== null) {
      this.watchdog = null;
      throw new Error(`${spec.name} could not start:\n${this.tail()}`);
    }
    const timeout = spec.readyTimeoutMs ?? 120_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        spec.ready(this),
        this.exited.then(() => {
          throw new Error(
            `${spec.name} exited (${this.lastExit}) while starting; its log (${spec.logFile}):\n${this.tail()}`,
          );
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${spec.name} was not ready within ${timeout / 1000} s; its log:\n${this.tail()}`)),
            timeout,
          );
        }),
      ]);
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM (SIGKILL after the grace period), and waits for the exit. */
  async stop(): Promise<void> {
    if (!this.watchdog) return;
    this.stopping = true;
    this.watchdog.kill('SIGTERM');
    await this.exited;
  }
}

function describeWatchdogExit(code: number | null): string {
  if (code === null) return 'unknown';
  if (code > 128) {
    const names: Record<number, string> = { 9: 'SIGKILL', 15: 'SIGTERM', 2: 'SIGINT', 6: 'SIGABRT' };
    return `signal ${names[code - 128] ?? code - 128}`;
  }
  return `exit code ${code}`;
}

/** Polls until `check` resolves true. */
export async function until(check: () => Promise<boolean>, intervalMs = 500): Promise<void> {
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await sleep(intervalMs);
  }
}

export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await response.arrayBuffer();
  return response.ok;
}
