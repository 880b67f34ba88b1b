/**
 * The container prelude run for real with `sh`, the way ECS runs it: secrets in the environment,
 * then what the product would see.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { containerCommand, healthCheckCommand } from '../lib/entrypoint';

/** The product's own rule for SCAN_KEY_MAC_KEYS (src/config.ts). */
const PRODUCT_SCAN_KEYS = /^[A-Z0-9]:[^,]{16,}(,[A-Z0-9]:[^,]{16,})*$/;
const PRINT_ENV = `node -e 'console.log(JSON.stringify({ url: process.env.DATABASE_URL, scan: process.env.SCAN_KEY_MAC_KEYS ?? null }))'`;

function runPrelude(env: Record<string, string>): { url: string; scan: string | null } {
  const [shell, flag, script] = containerCommand(PRINT_ENV);
  const out = execFileSync(shell, [flag, script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return JSON.parse(out);
}

const db = {
  DB_USER: 'jwo',
  DB_PASSWORD: 'Zx9kQ2mPv7LtR4wYb8Nc3HdF6gJs1A',
  DB_HOST: 'db.internal',
  DB_PORT: '5432',
  DB_NAME: 'jwo',
};

test('DATABASE_URL is assembled from the RDS secret fields and parses as the product parses it', () => {
  const { url } = runPrelude(db);
  expect(url).toBe('postgres://jwo:Zx9kQ2mPv7LtR4wYb8Nc3HdF6gJs1A@db.internal:5432/jwo?sslmode=no-verify');
  const parsed = new URL(url);
  expect([parsed.username, parsed.password, parsed.hostname, parsed.port, parsed.pathname]).toEqual([
    'jwo',
    db.DB_PASSWORD,
    'db.internal',
    '5432',
    '/jwo',
  ]);
});

test('DB_SSLMODE overrides the TLS mode', () => {
  expect(runPrelude({ ...db, DB_SSLMODE: 'verify-full' }).url).toMatch(/\?sslmode=verify-full$/);
});

test('a bare generated scan key becomes key A; an id:secret list is kept as written', () => {
  const bare = runPrelude({ ...db, SCAN_KEY_MAC_KEYS: 'k3Jd8sLq2Vn5Xw9Rt4Yb7Mz1Pc6Hf0Ga' });
  expect(bare.scan).toBe('A:k3Jd8sLq2Vn5Xw9Rt4Yb7Mz1Pc6Hf0Ga');
  expect(bare.scan).toMatch(PRODUCT_SCAN_KEYS);
  const rotated = 'B:new-secret-0123456789abcdef,A:old-secret-0123456789abcdef';
  expect(runPrelude({ ...db, SCAN_KEY_MAC_KEYS: rotated }).scan).toBe(rotated);
  // The worker gets no scan keys: nothing is invented.
  expect(runPrelude(db).scan).toBeNull();
});

test('the product command is exec’d (it becomes the process ECS signals)', () => {
  const [, , script] = containerCommand('node dist/worker.js');
  expect(script.split('\n').pop()).toBe('exec node dist/worker.js');
});

describe('the API health check command', () => {
  let status = 200;
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? status : 404;
    res.end();
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Asynchronous: the server answering it lives in this process.
  const run = () =>
    new Promise<number | null>((resolve) => {
      const [, ...command] = healthCheckCommand(port);
      spawn(command[0], command.slice(1), { stdio: 'ignore', timeout: 10_000 }).on('exit', (code) => resolve(code));
    });

  test('passes on 200 from /healthz', async () => {
    status = 200;
    expect(await run()).toBe(0);
  });

  test('fails on 503, and when nothing listens', async () => {
    status = 503;
    expect(await run()).toBe(1);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await run()).toBe(1);
    server.listen(port, '127.0.0.1');
  });
});
