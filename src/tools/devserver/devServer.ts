/**
 * Starts the Temporal dev server (`temporal server start-dev`) and waits until its frontend
 * answers. Used by `npm start` (persistent SQLite file, web UI) and by the test suite's global
 * setup (in memory, headless, random ports).
 *
 * The dev server runs under a small supervisor (./supervisor.ts) that stops it when this process
 * goes away, however it goes away (SIGKILL included): a dev server outliving its parent would
 * keep its ports and its SQLite file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../shared/searchAttributes';
import { SUPERVISOR_GRACE_MS, SUPERVISOR_SOURCE } from './supervisor';

export interface DevServerOptions {
  cliPath: string;
  /** 0 picks a free port. */
  port: number;
  /** null: headless (no web UI). */
  uiPort: number | null;
  /** SQLite file for persistence; null keeps everything in memory. */
  dbFile: string | null;
  namespace: string;
  ip?: string;
  startTimeoutMs?: number;
}

export interface DevServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  /** The supervisor: signal it (SIGTERM) to stop the dev server; it exits when the dev server has. */
  process: ChildProcess;
  /** The `temporal` process itself. */
  serverPid: number;
  /** Settles when the dev server has exited (for whatever reason, stop() included). */
  exited: Promise<DevServerExit>;
  /** The last lines the dev server wrote on stderr. */
  recentStderr(): string;
  stop(): Promise<void>;
}

/** "exit code 1", "signal SIGKILL": the supervisor reports a dev server ended by signal N as 128 + N. */
export function describeExit(exit: DevServerExit): string {
  if (exit.signal) return `the supervisor was ended by ${exit.signal}`;
  if (exit.code !== null && exit.code > 128) {
    const name = Object.entries(constants.signals).find(([, n]) => n === exit.code! - 128)?.[0];
    if (name) return `ended by ${name}`;
  }
  return `exit code ${exit.code}`;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const port = options.port || (await freePort(ip));
  const args = [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
  ];
  if (options.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) {
    // SQLite's default (a rollback journal synced on every commit) caps the dev server at a handful
    // of workflow tasks a second on this kind of disk; a write-ahead log synced at checkpoints keeps
    // every commit across a crash of the process (not of the machine) at several times the pace.
    args.push('--db-filename', options.dbFile);
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);

  // stdin stays open and unwritten: its end is how the supervisor learns that this process died.
  const child = spawn(process.execPath, ['-e', SUPERVISOR_SOURCE, '--', options.cliPath, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.on('error', () => undefined);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const serverPid = new Promise<number>((resolve) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
  });
  const exited = new Promise<DevServerExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const address = `${ip}:${port}`;

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `The Temporal dev server exited (${describeExit({ code: child.exitCode, signal: child.signalCode })}) while starting:\n${stderr}`,
      );
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGTERM'); // the supervisor stops the dev server (SIGKILL after its grace period)
        throw new Error(
          `The Temporal dev server did not answer on ${address} within the start timeout: ${(err as Error).message}\n${stderr}`,
          { cause: err },
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://${ip === '0.0.0.0' ? 'localhost' : ip}:${options.uiPort}`,
    process: child,
    serverPid: await serverPid,
    exited,
    recentStderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The supervisor itself escalates to SIGKILL on the dev server after its grace period.
      const timer = setTimeout(() => child.kill('SIGKILL'), SUPERVISOR_GRACE_MS + 4_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
