/**
 * The standalone API outside demo mode refuses the repository's demo secrets: it exits non-zero
 * naming each variable, before it opens the database or Temporal, and never prints a secret. The
 * standalone worker checks only what it uses (the payment gateway and its key), so it starts
 * without the API's keys. Runs the built processes (`npm run build` first, as `npm test` does).
 */
import { execFile } from 'node:child_process';

const server = (env: Record<string, string>) => run('dist/api/server.js', env);
const worker = (env: Record<string, string>) => run('dist/worker.js', env);

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script],
      { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, timeout: 30_000 },
      (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

// Unreachable on purpose: the refusal must come before any connection is tried.
const wiring = {
  DATABASE_URL: 'postgres://jwo:pw@127.0.0.1:1/jwo',
  TEMPORAL_ADDRESS: '127.0.0.1:1',
  PORT: '0',
};

test('when DEMO_MODE=false and the secrets are the defaults, then the API exits non-zero naming each variable', async () => {
  const outcome = await server({ ...wiring, DEMO_MODE: 'false' });
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).toContain('CONNECTOR_API_KEYS: key 1 is a demo value or placeholder');
  expect(outcome.stderr).toContain('SCAN_KEY_MAC_KEYS: the secret of key id A is a demo value or placeholder');
  expect(outcome.stderr).toContain('APP_SESSION_SECRETS: key 1 is a demo value or placeholder');
  expect(outcome.stderr).not.toContain('Cannot reach PostgreSQL');
  expect(outcome.stderr).not.toMatch(/^\s+at /m);
});

test('when a key is real but short, then the API exits naming it without printing it', async () => {
  const outcome = await server({
    ...wiring,
    CONNECTOR_API_KEYS: 'k-3f9a1c77e2',
    OPERATOR_KEYS: 'ada:admin:0b6f2d9e4a7c1f8e3d5b9a2c6e0f4d7b8a1c',
    SCAN_KEY_MAC_KEYS: 'A:5e1d8c3b7a9f2e4d6c0b8a1f3e5d7c9b2a4f',
  });
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).toContain('CONNECTOR_API_KEYS: key 1 has 12 characters; at least 32 are needed');
  expect(outcome.stderr).not.toContain('k-3f9a1c77e2');
  expect(outcome.stderr).not.toContain('OPERATOR_KEYS');
});

test('when the worker has only its own secrets outside demo mode, then it passes the check and goes on to the database', async () => {
  const outcome = await worker({
    ...wiring,
    PAYMENT_GATEWAY: 'stripe',
    STRIPE_SECRET_KEY: 'sk_live_51NxQ7d4kTr9Lq2Vw8Zy3Pb6Hc1Fg0a5e',
  });
  expect(outcome.code).not.toBe(0);
  expect(outcome.stderr).not.toContain('Invalid configuration');
  expect(outcome.stderr).toContain('Cannot reach PostgreSQL');
  expect(outcome.stderr).not.toContain('sk_live_51NxQ7d4kTr9Lq2Vw8Zy3Pb6Hc1Fg0a5e');
});

test('when the worker has the simulated gateway or a demo Stripe key, then it exits naming it, and not the API keys', async () => {
  const simulated = await worker({ ...wiring, DEMO_MODE: 'false' });
  expect(simulated.code).not.toBe(0);
  expect(simulated.stderr).toContain('PAYMENT_GATEWAY: "simulated" moves no money');
  expect(simulated.stderr).not.toContain('CONNECTOR_API_KEYS');
  const demoKey = await worker({ ...wiring, PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_demo12345' });
  expect(demoKey.stderr).toContain('STRIPE_SECRET_KEY: the key is a demo value or placeholder');
  expect(demoKey.stderr).not.toContain('sk_test_demo12345');
  expect(demoKey.stderr).not.toMatch(/^\s+at /m);
});
