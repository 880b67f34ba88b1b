/**
 * The all-in-one's claim on its DATA_DIR: a pid file naming the `npm start` process, the dev
 * server's supervisor and the dev server, and the clean-up of a dev server an earlier run left
 * behind (a parent killed before the supervisor existed, or a supervisor killed with SIGKILL).
 *
 * On start:
 * - a pid file whose owner is still a live `jwo start`: refuse, naming it (two all-in-ones on one
 *   DATA_DIR would share the SQLite file and PGlite's directory);
 * - otherwise every process that is a `temporal server start-dev` (or its supervisor) on this
 *   DATA_DIR's db file, whether named by the pid file or found in /proc (Linux), is stopped:
 *   SIGTERM, SIGKILL after a grace period. A process is only signalled after its command line has
 *   been read and checked, so a recycled pid is never hit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StartupError } from '../../startup';
import { SUPERVISOR_MARKER } from './supervisor';

export const PID_FILE = 'jwo-start.pid';

export interface PidFile {
  /** The `jwo start` process. */
  owner: number;
  supervisor: number | null;
  devServer: number | null;
  dbFile: string;
}

type Log = (line: string) => void;

export function pidFilePath(dataDir: string): string {
  return join(dataDir, PID_FILE);
}

export function writePidFile(dataDir: string, content: PidFile): void {
  writeFileSync(pidFilePath(dataDir), `${JSON.stringify(content)}\n`);
}

/** Removes the pid file if it is still this process's. */
export function removePidFile(dataDir: string, owner = process.pid): void {
  if (readPidFile(dataDir)?.owner === owner) rmSync(pidFilePath(dataDir), { force: true });
}

export function readPidFile(dataDir: string): PidFile | null {
  try {
    const parsed = JSON.parse(readFileSync(pidFilePath(dataDir), 'utf8')) as Partial<PidFile>;
    return typeof parsed.owner === 'number' ? (parsed as PidFile) : null;
  } catch {
    return null;
  }
}

/** The process's arguments, or null when it does not exist (or has exited and awaits its parent). */
export function commandLine(pid: number): string[] | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (process.platform === 'linux') {
    try {
      if (processState(pid) === 'Z') return null;
      const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const argv = raw.split('\0');
      if (argv.at(-1) === '') argv.pop();
      return argv.length > 0 ? argv : null;
    } catch {
      return null;
    }
  }
  try {
    const out = execFileSync('ps', ['-ww', '-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out ? out.split(/\s+/) : null;
  } catch {
    return null;
  }
}

function stat(pid: number): string[] | null {
  try {
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after its last ')'.
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function processState(pid: number): string | null {
  return stat(pid)?.[0] ?? null;
}

function parentPid(pid: number): number | null {
  const field = stat(pid)?.[1];
  return field ? Number(field) : null;
}

export function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const state = processState(pid);
    return state !== null && state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A `temporal server start-dev --db-filename <dbFile>`, or the supervisor running one. */
export function isDevServerOf(argv: string[] | null, dbFile: string): boolean {
  if (!argv || !argv.includes('start-dev')) return false;
  const at = argv.indexOf('--db-filename');
  return at >= 0 && argv[at + 1] === dbFile;
}

function isSupervisor(argv: string[] | null): boolean {
  return !!argv?.some((a) => a.includes(SUPERVISOR_MARKER));
}

/** `node …/jwo.js start` or `…/jwo start`. */
function isAllInOne(argv: string[] | null): boolean {
  if (!argv) return false;
  const script = argv.findIndex((a) => /^jwo(\.js)?$/.test(basename(a)));
  return script >= 0 && argv[script + 1] === 'start';
}

/** Linux only: every live process that is a dev server (or supervisor) on dbFile. */
function scan(dbFile: string): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => pid !== process.pid && isDevServerOf(commandLine(pid), dbFile));
}

/** The live all-in-one this dev server (or supervisor) belongs to, if any. */
function liveOwner(pid: number): number | null {
  let parent = parentPid(pid);
  if (parent && isSupervisor(commandLine(parent))) parent = parentPid(parent);
  return parent && parent > 1 && parent !== process.pid && isAllInOne(commandLine(parent)) ? parent : null;
}

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter(isAlive);
  }
  return alive;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone already */
  }
}

/**
 * Stops whatever dev server an earlier `npm start` on this DATA_DIR left running, or refuses when
 * that `npm start` is still alive. Returns the pids it stopped.
 */
export async function stopStaleDevServer(options: {
  dataDir: string;
  dbFile: string;
  log: Log;
  graceMs?: number;
}): Promise<number[]> {
  const { dataDir, dbFile, log } = options;
  const recorded = readPidFile(dataDir);
  if (recorded && recorded.owner !== process.pid && isAllInOne(commandLine(recorded.owner))) {
    throw new StartupError(
      `DATA_DIR=${dataDir} is in use by another \`npm start\` (pid ${recorded.owner}): stop it first, or give this one another DATA_DIR.`,
    );
  }
  const candidates = new Set<number>(scan(dbFile));
  for (const pid of [recorded?.supervisor, recorded?.devServer]) {
    if (pid && isDevServerOf(commandLine(pid), dbFile)) candidates.add(pid);
  }
  for (const pid of candidates) {
    const owner = liveOwner(pid);
    if (owner) {
      throw new StartupError(
        `DATA_DIR=${dataDir} is in use by another \`npm start\` (pid ${owner}, its Temporal dev server is pid ${pid}): stop it first, or give this one another DATA_DIR.`,
      );
    }
  }
  const stale = [...candidates];
  if (stale.length > 0) {
    log(
      `A Temporal dev server left running by an earlier \`npm start\` on ${dataDir} (pid ${stale.join(', ')}): stopping it.`,
    );
    for (const pid of stale) signal(pid, 'SIGTERM');
    const stubborn = await waitGone(stale, options.graceMs ?? 10_000);
    for (const pid of stubborn) signal(pid, 'SIGKILL');
    const left = await waitGone(stubborn, 3_000);
    if (left.length > 0) {
      throw new StartupError(
        `Could not stop the stale Temporal dev server (pid ${left.join(', ')}) on ${dbFile}: stop it by hand.`,
      );
    }
  }
  if (recorded) rmSync(pidFilePath(dataDir), { force: true });
  return stale;
}
