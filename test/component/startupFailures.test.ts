/**
 * `npm start` with bad input stops with one clear message and leaves nothing running:
 * a wrong variable, a port in use, an unreachable DATABASE_URL, no way to get a Temporal CLI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

interface Outcome {
  code: number | null;
  stderr: string;
}

function start(env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['dist/tools/cli/jwo.js', 'start'],
      {
        env: {
          PATH: process.env.PATH!,
          HOME: process.env.HOME!,
          DATA_DIR: mkdtempSync(join(tmpdir(), 'jwo-start-')),
          ...env,
        },
        timeout: 60_000,
      },
      (error, _stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
      },
    );
  });
}

const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s+at /m);

test('when a variable is invalid, then start-up stops naming it', async () => {
  const outcome = await start({ PORT: 'eighty', SCAN_KEY_WINDOW_SECONDS: '5' });
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('PORT="eighty"');
  expect(outcome.stderr).toContain('SCAN_KEY_WINDOW_SECONDS="5"');
  noStackTrace(outcome.stderr);
});

test('when the API port is taken, then start-up says which port and what to do', async () => {
  const blocker: Server = await new Promise((resolve) => {
    const s = createServer().listen(0, '0.0.0.0', () => resolve(s));
  });
  const port = (blocker.address() as { port: number }).port;
  try {
    const outcome = await start({ PORT: String(port) });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`Port ${port} (PORT, the API) is already in use`);
    noStackTrace(outcome.stderr);
  } finally {
    blocker.close();
  }
});

test('when DATABASE_URL cannot be reached, then start-up says so before starting anything', async () => {
  const outcome = await start({
    DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/jwo',
    PORT: '0',
    TEMPORAL_DEV_PORT: '0',
    TEMPORAL_UI_PORT: '0',
  });
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('Cannot reach PostgreSQL at DATABASE_URL=postgres://postgres:***@127.0.0.1:1/jwo');
  expect(outcome.stderr).not.toContain('secret');
  expect(outcome.stderr).not.toContain('Temporal dev server');
  noStackTrace(outcome.stderr);
});

test('when there is no temporal CLI, no Go and no internet, then start-up says how to get a server', async () => {
  const outcome = await start({
    PATH: dirname(process.execPath),
    XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'jwo-cache-')),
    PORT: '0',
    TEMPORAL_DEV_PORT: '0',
    TEMPORAL_UI_PORT: '0',
  });
  expect(outcome.code).toBe(1);
  expect(outcome.stderr).toContain('No Temporal CLI is available');
  expect(outcome.stderr).toContain('Go is not installed');
  expect(outcome.stderr).toContain('set TEMPORAL_ADDRESS to a running Temporal server');
  noStackTrace(outcome.stderr);
});
