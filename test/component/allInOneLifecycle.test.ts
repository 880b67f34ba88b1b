/**
 * The all-in-one (`jwo start`) and its Temporal dev server live and die together:
 * - SIGKILL of the all-in-one takes the dev server with it, so the next start gets its ports;
 * - a dev server an earlier run left on the same DATA_DIR is stopped and replaced, not a
 *   "port in use" failure; a DATA_DIR whose all-in-one is alive is refused;
 * - a dev server dying under a running all-in-one is said on stderr, and the all-in-one exits 1.
 * Runs the built CLI (`npm run build` first), with a fresh DATA_DIR and free ports each time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from '../../src/tools/devserver/devServer';
import { ensureTemporalCli } from '../../src/tools/devserver/temporalCli';
import { commandLine, isAlive, readPidFile, type PidFile } from '../../src/tools/devserver/staleDevServer';

jest.setTimeout(240_000);

interface Ports {
  PORT: string;
  TEMPORAL_DEV_PORT: string;
  TEMPORAL_UI_PORT: string;
}

interface Started {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];
let cliPath: string;

beforeAll(async () => {
  cliPath = process.env.JWO_TEST_TEMPORAL_CLI ?? (await ensureTemporalCli());
});

afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }
});

async function ports(): Promise<Ports> {
  return {
    PORT: String(await freePort()),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
}

function launch(dataDir: string, p: Ports): Started {
  const child = spawn(process.execPath, ['dist/tools/cli/jwo.js', 'start'], {
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      TEMPORAL_CLI: cliPath,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...p,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stderr: () => stderr, exited };
}

async function untilReady(started: Started, p: Ports): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`jwo start exited (${started.child.exitCode}):\n${started.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${p.PORT}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`jwo start was not ready in time:\n${started.stderr()}`);
}

async function startReady(dataDir: string, p: Ports): Promise<Started> {
  const started = launch(dataDir, p);
  await untilReady(started, p);
  return started;
}

function pidFile(dataDir: string): PidFile {
  const content = readPidFile(dataDir);
  if (!content?.devServer || !content.supervisor) throw new Error(`no pid file in ${dataDir}`);
  return content;
}

async function goneWithin(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    alive = alive.filter(isAlive);
  }
  return alive;
}

async function answers(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const freshDataDir = () => mkdtempSync(join(tmpdir(), 'jwo-lifecycle-'));

test('when the all-in-one is killed with SIGKILL, then its dev server goes too and the next start on the same ports succeeds', async () => {
  const dataDir = freshDataDir();
  const p = await ports();
  const first = await startReady(dataDir, p);
  const { devServer, supervisor } = pidFile(dataDir);
  expect(commandLine(devServer!)).toContain('start-dev');
  // Its SQLite runs on a write-ahead log (a journal synced per commit caps the workflow rate).
  expect(existsSync(join(dataDir, 'temporal.db-wal'))).toBe(true);

  first.child.kill('SIGKILL');
  await first.exited;

  expect(await goneWithin([devServer!, supervisor!], 15_000)).toEqual([]);
  expect(await answers(p.TEMPORAL_DEV_PORT)).toBe(false);

  const second = await startReady(dataDir, p);
  expect(second.stderr()).not.toContain('already in use');
  expect(pidFile(dataDir).devServer).not.toBe(devServer);
});

test('when a dev server of an earlier run still holds the DATA_DIR and its ports, then start stops it and starts', async () => {
  const dataDir = freshDataDir();
  const p = await ports();
  // An orphan as the code before the supervisor left it: a bare dev server on DATA_DIR/temporal.db.
  const orphan = spawn(
    cliPath,
    [
      'server',
      'start-dev',
      '--ip',
      '127.0.0.1',
      '--port',
      p.TEMPORAL_DEV_PORT,
      '--ui-port',
      p.TEMPORAL_UI_PORT,
      '--db-filename',
      join(dataDir, 'temporal.db'),
      '--log-level',
      'error',
    ],
    { stdio: 'ignore' },
  );
  running.push(orphan);
  const deadline = Date.now() + 60_000;
  while (!(await answers(p.TEMPORAL_DEV_PORT))) {
    if (Date.now() > deadline || orphan.exitCode !== null) throw new Error('the orphan dev server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }

  const started = await startReady(dataDir, p);
  expect(started.stderr()).toContain(`A Temporal dev server left running by an earlier \`npm start\` on ${dataDir}`);
  expect(started.stderr()).toContain(String(orphan.pid));
  expect(isAlive(orphan.pid!)).toBe(false);
  const { devServer, owner } = pidFile(dataDir);
  expect(owner).toBe(started.child.pid);
  expect(devServer).not.toBe(orphan.pid);

  // While that all-in-one is alive, another on the same DATA_DIR is refused and leaves it running.
  const other = launch(dataDir, await ports());
  expect(await other.exited).toBe(1);
  expect(other.stderr()).toContain(`DATA_DIR=${dataDir} is in use by another \`npm start\` (pid ${started.child.pid})`);
  expect(isAlive(devServer!)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${p.PORT}/readyz`)).status).toBe(200);
});

test('when the dev server dies under a running all-in-one, then it says so on stderr and exits 1', async () => {
  const dataDir = freshDataDir();
  const p = await ports();
  const started = await startReady(dataDir, p);
  const { devServer } = pidFile(dataDir);

  process.kill(devServer!, 'SIGKILL');

  const stillRunning = new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000).unref());
  expect(await Promise.race([started.exited, stillRunning])).toBe(1);
  expect(started.stderr()).toContain(
    `Error: the Temporal dev server (pid ${devServer}) stopped unexpectedly (ended by SIGKILL)`,
  );
  expect(started.stderr()).toContain('Run `npm start` again to restart everything');
  expect(existsSync(join(dataDir, 'jwo-start.pid'))).toBe(false);
});
