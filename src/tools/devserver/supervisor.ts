/**
 * A tiny supervisor between a Node process and the Temporal dev server it runs, so that the dev
 * server never outlives its parent, even when the parent is killed with SIGKILL (Linux's
 * PR_SET_PDEATHSIG is not reachable from Node, so the stdin pipe stands in for it):
 *
 *   parent ──stdin pipe──► supervisor (`node -e SUPERVISOR_SOURCE -- <cli> <args…>`) ──► temporal
 *
 * - the parent holds the write end of the supervisor's stdin and never writes; when the parent
 *   dies, for whatever reason, the kernel closes it and the supervisor reads end-of-file;
 * - then (or on SIGTERM, SIGINT, SIGHUP) the supervisor sends SIGTERM to the dev server, SIGKILL
 *   after GRACE_MS, and exits once it has gone;
 * - when the dev server exits by itself, the supervisor exits with its code (128 + the signal
 *   number when a signal ended it), so the parent can tell what happened;
 * - its first line on stdout is the dev server's pid; the dev server's stderr goes straight to
 *   the supervisor's stderr (the parent's pipe).
 *
 * The source is passed with `-e`, so it runs the same from `src` (ts-jest) and from `dist`.
 */

/** Appears in the supervisor's command line, so it can be recognised in /proc. */
export const SUPERVISOR_MARKER = 'jwo-dev-server-supervisor';

/** How long the dev server gets to stop on SIGTERM before SIGKILL. */
export const SUPERVISOR_GRACE_MS = 8_000;

export const SUPERVISOR_SOURCE = `// ${SUPERVISOR_MARKER}
'use strict';
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const [cli, ...args] = process.argv.slice(1);
const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  try { child.kill('SIGTERM'); } catch {}
  setTimeout(() => { try { child.kill('SIGKILL'); } catch {} }, ${SUPERVISOR_GRACE_MS}).unref();
}
process.stdout.on('error', () => undefined);
child.on('error', (err) => {
  process.stderr.write('cannot run ' + cli + ': ' + err.message + '\\n');
  process.exit(127);
});
child.on('spawn', () => process.stdout.write(child.pid + '\\n'));
child.on('exit', (code, signal) => process.exit(signal ? 128 + (constants.signals[signal] || 0) : code === null ? 1 : code));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, stop);
`;
