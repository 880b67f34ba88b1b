/**
 * A secured Temporal: a TLS terminator that requires a client certificate (mTLS) in front of the
 * dev server, certificates generated here with openssl. A purchase runs end to end through it with
 * payload encryption on (the cart is ciphertext in Temporal's history, and the codec endpoint opens
 * it for the UI); a client with the wrong certificate is refused with a start-up error naming the
 * settings to check.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { connectTemporalClient } from '../../src/adapters/temporal/connection';
import { loadConfig } from '../../src/config';
import { StartupError } from '../../src/startup';
import { purchaseWorkflowId } from '../../src/shared/workflowIds';
import { startTestStack, type TestStack } from '../support/stack';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { enterStore, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { purchaseSettled } from '../support/purchases';

const dir = mkdtempSync(join(tmpdir(), 'jwo-tls-'));
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A CA, and a certificate it signs (server: for 127.0.0.1 and localhost; client: for mTLS). */
function issue(ca: string, name: string, extension: string): void {
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.csr`),
    '-subj',
    `/CN=${name}`,
  );
  writeFileSync(file(`${name}.ext`), extension);
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file(`${ca}.crt`),
    '-CAkey',
    file(`${ca}.key`),
    '-CAcreateserial',
    '-out',
    file(`${name}.crt`),
    '-days',
    '1',
    '-extfile',
    file(`${name}.ext`),
  );
}
function certificateAuthority(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file(`${name}.key`),
    '-out',
    file(`${name}.crt`),
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  );
}

let terminator: TlsServer;
let address: string;
let stack: TestStack;
const payloadKey = randomBytes(32).toString('base64');

beforeAll(async () => {
  certificateAuthority('ca');
  certificateAuthority('other-ca');
  issue('ca', 'server', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issue('ca', 'client', 'extendedKeyUsage=clientAuth\n');
  issue('other-ca', 'intruder', 'extendedKeyUsage=clientAuth\n');
  const [host, port] = process.env.JWO_TEST_TEMPORAL_ADDRESS!.split(':');
  terminator = createTlsServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.crt')),
      ca: readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket) => {
      const upstream = connect(Number(port), host);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    },
  );
  terminator.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(terminator.address() as AddressInfo).port}`;
  stack = await startTestStack({
    dbKind: 'postgres',
    env: {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TLS_CA: file('ca.crt'),
      // Inline PEM works as well as a path.
      TEMPORAL_TLS_CERT: readFileSync(file('client.crt'), 'utf8'),
      TEMPORAL_TLS_KEY: file('client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      TEMPORAL_PAYLOAD_KEYS: `k1:${payloadKey}`,
    },
  });
  await seedDemoStore(stack.db);
});
afterAll(async () => {
  await stack?.close();
  await new Promise((r) => terminator.close(r));
});

test('when Temporal requires mTLS and payloads are encrypted, then a purchase runs end to end and its cart is ciphertext in history', async () => {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  const trip = purchaseRequest([authEvent], [item('SKU-003')]);
  expect((await post(stack.url, '/v1/order/purchases', trip)).status).toBe(201);
  const settled = await purchaseSettled(stack.db, trip.idempotentShoppingTripId, ['CAPTURED']);
  expect(settled.status).toBe('CAPTURED');

  // Read the history as someone with database access to Temporal but without the key would.
  const plain = await Connection.connect({ address: process.env.JWO_TEST_TEMPORAL_ADDRESS! });
  try {
    const history = await new Client({ connection: plain }).workflow
      .getHandle(purchaseWorkflowId(trip.idempotentShoppingTripId))
      .fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain(shopper.shopperId);
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain('SKU-003');

    // The codec endpoint opens it for the UI (operator credential as a bearer token, CORS for the UI).
    const wire = {
      metadata: Object.fromEntries(
        Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
      ),
      data: Buffer.from(input.data!).toString('base64'),
    };
    const denied = await fetch(`${stack.url}/codec/decode`, {
      method: 'POST',
      body: JSON.stringify({ payloads: [wire] }),
    });
    expect(denied.status).toBe(401);
    const decoded = await fetch(`${stack.url}/codec/decode`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer demo-operator-key',
        origin: 'http://localhost:8233',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ payloads: [wire] }),
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    const [opened] = ((await decoded.json()) as { payloads: { data: string }[] }).payloads;
    expect(JSON.parse(Buffer.from(opened.data, 'base64').toString())).toMatchObject({
      tripId: trip.idempotentShoppingTripId,
      request: { cartItems: [expect.objectContaining({ id: 'SKU-003' })] },
    });
  } finally {
    await plain.close();
  }
});

test('when a client presents a certificate the server does not trust, then start-up fails naming the settings', async () => {
  const config = loadConfig({
    TEMPORAL_ADDRESS: address,
    TEMPORAL_TLS_CA: file('ca.crt'),
    TEMPORAL_TLS_CERT: file('intruder.crt'),
    TEMPORAL_TLS_KEY: file('intruder.key'),
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
  });
  const attempt = connectTemporalClient(address, config);
  await expect(attempt).rejects.toBeInstanceOf(StartupError);
  await expect(attempt).rejects.toThrow(
    /Cannot connect to Temporal at TEMPORAL_ADDRESS=.*check TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT\/TEMPORAL_TLS_KEY/,
  );
});

test('when a plain-text client meets the TLS server, then it is refused saying the connection is plain text', async () => {
  await expect(connectTemporalClient(address, loadConfig({ TEMPORAL_ADDRESS: address }))).rejects.toThrow(/plain text/);
});

test('when only a certificate without its key is configured, then the configuration names both variables', async () => {
  await expect(
    connectTemporalClient(address, loadConfig({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: file('client.crt') })),
  ).rejects.toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
});
