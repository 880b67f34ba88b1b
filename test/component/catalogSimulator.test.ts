/**
 * The Catalog API client against the simulated Amazon side over real HTTP on 127.0.0.1:
 * SigV4, limits, validation messages, throttling, the processing timeline, report links and the
 * client's classification of Amazon's errors.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import {
  createAmazonCatalogClient,
  type AmazonCatalogClient,
  type CredentialsProvider,
} from '../../src/adapters/amazonCatalog';
import {
  BAD_STATUS_REQUEST,
  MIXED_STORES,
  UNKNOWN_INGESTION,
  UNKNOWN_STORE,
  startCatalogApiSimulator,
  type CatalogApiSimulatorOptions,
  type RunningCatalogApiSimulator,
} from '../../src/tools/simulator/catalog';

const KEYS = { accessKeyId: 'AKIDCATALOGSIM', secretAccessKey: 'catalog-simulator-secret' };
const REGION = 'eu-west-1';
const STORES = [
  { storeId: 'STORE-A', retailerId: 'RETAILER-1' },
  { storeId: 'STORE-B', retailerId: 'RETAILER-1' },
  { storeId: 'STORE-X', retailerId: 'RETAILER-2' },
];
const staticKeys: CredentialsProvider = async () => KEYS;

function item(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    item_sku: `SKU-${n}`,
    item_name: `Item ${n}`,
    store_id: 'STORE-A',
    external_product_id: String(100_000_000_000 + n),
    external_product_id_type: 'UPC',
    ...overrides,
  };
}

/** A clock the test moves by hand; it starts at the real time so SigV4 dates stay within the allowed skew. */
function manualClock() {
  let current = Date.now();
  return { now: () => current, advance: (ms: number) => (current += ms) };
}

describe('Catalog API simulator and client', () => {
  let sim: RunningCatalogApiSimulator;
  let client: AmazonCatalogClient;

  async function start(options: Partial<CatalogApiSimulatorOptions> = {}, clientNow?: () => number): Promise<void> {
    sim = await startCatalogApiSimulator({ credentials: KEYS, region: REGION, stores: STORES, ...options });
    client = createAmazonCatalogClient({
      endpoint: sim.url,
      reportOrigins: [sim.url],
      region: REGION,
      credentials: staticKeys,
      now: clientNow,
    });
  }

  afterEach(async () => {
    await sim?.close();
  });

  describe('SigV4', () => {
    beforeEach(() => start());

    test('when an upload is signed with the known key, then it is accepted with an ingestion id', async () => {
      const result = await client.uploadCatalog([item(1)]);
      expect(result).toEqual({ kind: 'ok', ingestionId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    });

    test('when the secret is wrong, then API Gateway answers 403 and the client does not retry', async () => {
      const wrong = createAmazonCatalogClient({
        endpoint: sim.url,
        reportOrigins: [sim.url],
        region: REGION,
        credentials: async () => ({ ...KEYS, secretAccessKey: 'not-the-secret' }),
      });
      expect(await wrong.uploadCatalog([item(1)])).toEqual({
        kind: 'error',
        status: 403,
        errorMsg: expect.stringContaining('signature we calculated does not match'),
        retryable: false,
      });
    });

    test('when the access key is unknown, then 403 says the security token is invalid', async () => {
      const stranger = createAmazonCatalogClient({
        endpoint: sim.url,
        reportOrigins: [sim.url],
        region: REGION,
        credentials: async () => ({ accessKeyId: 'AKIDSTRANGER', secretAccessKey: KEYS.secretAccessKey }),
      });
      const result = await stranger.getUploadStatus('whatever');
      expect(result).toMatchObject({
        kind: 'error',
        status: 403,
        errorMsg: 'The security token included in the request is invalid.',
      });
    });

    test('when the request is scoped to another region, then it is refused', async () => {
      const elsewhere = createAmazonCatalogClient({
        endpoint: sim.url,
        reportOrigins: [sim.url],
        region: 'us-west-2',
        credentials: staticKeys,
      });
      expect(await elsewhere.uploadCatalog([item(1)])).toMatchObject({
        status: 403,
        errorMsg: expect.stringContaining('region'),
      });
    });

    test('when the body is changed after signing, then the signature no longer matches', async () => {
      const uploadUrl = `${sim.url}/v1/catalog/upload`;
      const response = await fetch(uploadUrl, {
        method: 'POST',
        headers: signedHeaders(uploadUrl, JSON.stringify({ catalogItems: [item(1)] })),
        body: JSON.stringify({ catalogItems: [item(2)] }),
      });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        message: expect.stringContaining('signature we calculated does not match'),
      });
    });

    test('when the signature is more than 5 minutes old, then it has expired', async () => {
      const sixMinutesAgo = new Date(Date.now() - 6 * 60 * 1000).toISOString().replace(/[:-]|\.\d{3}/g, '');
      const body = JSON.stringify({ catalogItems: [item(1)] });
      const uploadUrl = `${sim.url}/v1/catalog/upload`;
      const headers = signedHeaders(uploadUrl, body, { 'X-Amz-Date': sixMinutesAgo });
      const response = await fetch(uploadUrl, { method: 'POST', headers, body });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: expect.stringMatching(/^Signature expired: /) });
    });

    test('when a request is not signed, then API Gateway asks for an authentication token', async () => {
      const response = await fetch(`${sim.url}/v1/catalog/upload`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    });
  });

  describe('upload validation', () => {
    beforeEach(() => start());

    test('when a request holds 10,000 items, then it is accepted; 10,001 are refused naming the threshold', async () => {
      const items = Array.from({ length: 10_000 }, (_, n) => item(n));
      expect(await client.uploadCatalog(items)).toMatchObject({ kind: 'ok' });
      const tooMany = await client.uploadCatalog([...items, item(10_000)]);
      expect(tooMany).toEqual({
        kind: 'error',
        status: 400,
        errorMsg: expect.stringContaining('10000'),
        retryable: false,
      });
    });

    test('when an item has only its SKU, then the missing required fields are listed', async () => {
      expect(await client.uploadCatalog([{ item_sku: 'SKU-1' }])).toMatchObject({
        status: 400,
        errorMsg: 'Missing required fields: item_name, store_id, external_product_id',
      });
    });

    test('when a field is longer than 255 characters, then the upload is refused', async () => {
      const result = await client.uploadCatalog([item(1, { item_name: 'x'.repeat(256) })]);
      expect(result).toMatchObject({ status: 400, errorMsg: expect.stringContaining('item_name') });
      expect(await client.uploadCatalog([item(1, { item_name: 'x'.repeat(255) })])).toMatchObject({ kind: 'ok' });
    });

    test('when the body has an unknown top-level field or no catalogItems, then it is an invalid request body', async () => {
      const extraField = await signedPost(sim.url, '/v1/catalog/upload', { catalogItems: [item(1)], dryRun: true });
      const noItems = await signedPost(sim.url, '/v1/catalog/upload', { items: [item(1)] });
      expect(extraField).toEqual({ status: 400, body: { errorMsg: 'Invalid request body' } });
      expect(noItems).toEqual({ status: 400, body: { errorMsg: 'Invalid request body' } });
    });

    test('when every store id is unknown, then one or more StoreIDs are incorrect', async () => {
      expect(await client.uploadCatalog([item(1, { store_id: 'NOPE' })])).toMatchObject({
        status: 400,
        errorMsg: UNKNOWN_STORE,
      });
    });

    test('when valid and invalid store ids are mixed, or retailers differ, then the list is not of one retailer', async () => {
      const mixedValidity = await client.uploadCatalog([item(1), item(2, { store_id: 'NOPE' })]);
      const twoRetailers = await client.uploadCatalog([item(1), item(2, { store_id: 'STORE-X' })]);
      const oneRetailer = await client.uploadCatalog([item(1), item(2, { store_id: 'STORE-B' })]);
      expect(mixedValidity).toMatchObject({ status: 400, errorMsg: MIXED_STORES });
      expect(twoRetailers).toMatchObject({ status: 400, errorMsg: MIXED_STORES });
      expect(oneRetailer).toMatchObject({ kind: 'ok' });
    });
  });

  describe('rate limit', () => {
    test('when 11 uploads arrive within a second, then the 11th gets a retryable 429', async () => {
      await start();
      const results = await Promise.all(Array.from({ length: 11 }, (_, n) => client.uploadCatalog([item(n)])));
      expect(results.filter((r) => r.kind === 'ok')).toHaveLength(10);
      expect(results.filter((r) => r.kind === 'error')).toEqual([
        { kind: 'error', status: 429, errorMsg: 'Too Many Requests', retryable: true },
      ]);
      expect(sim.state.maxRequestsInAnySecond()).toBe(11);
    });

    test('when uploads are spread over more than a second, then none is throttled', async () => {
      const clock = manualClock();
      await start({ now: clock.now, maxRequestsPerSecond: 2 });
      for (let n = 0; n < 6; n++) {
        expect(await client.uploadCatalog([item(n)])).toMatchObject({ kind: 'ok' });
        clock.advance(500);
      }
      expect(sim.state.maxRequestsInAnySecond()).toBe(2);
    });
  });

  describe('processing and reports', () => {
    test('when time passes, then the status moves INQUEUE → INPROGRESS → DONE and the report can be read', async () => {
      const clock = manualClock();
      await start({ now: clock.now, processing: { inqueueMs: 200, inprogressMs: 300 } }, clock.now);
      const upload = await client.uploadCatalog([
        item(1),
        item(2, { item_name: 'Sparkling water FAIL' }),
        item(3, { external_product_id: 'ABC-123' }),
      ]);
      if (upload.kind !== 'ok') throw new Error(upload.errorMsg);

      const notYetDone = (processingStatus: string) => ({ kind: 'ok', processingStatus, reportDownloadLink: '' });
      expect(await client.getUploadStatus(upload.ingestionId)).toEqual(notYetDone('INQUEUE'));
      clock.advance(200);
      expect(await client.getUploadStatus(upload.ingestionId)).toEqual(notYetDone('INPROGRESS'));
      clock.advance(300);
      const done = await client.getUploadStatus(upload.ingestionId);
      expect(done).toMatchObject({ kind: 'ok', processingStatus: 'DONE' });
      if (done.kind !== 'ok') return;
      expect(done.reportDownloadLink).toMatch(
        new RegExp(`^${sim.url}/__reports/${upload.ingestionId}\\?.*X-Amz-Expires=3600`),
      );

      const report = await client.fetchReport(done.reportDownloadLink);
      if (report.kind !== 'ok') throw new Error(`report not downloaded: ${JSON.stringify(report)}`);
      expect(client.parseReport(report.body)).toEqual({
        unparsed: 0,
        entries: [
          { sku: 'SKU-1', status: 'SUCCESS', errors: [] },
          { sku: 'SKU-2', status: 'FAILED', errors: [expect.stringContaining('FAIL')] },
          { sku: 'SKU-3', status: 'FAILED', errors: [expect.stringContaining('external_product_id')] },
        ],
      });
    });

    test('when each status call is made, then it hands out a fresh link', async () => {
      const clock = manualClock();
      await start({ now: clock.now, processing: { inqueueMs: 0, inprogressMs: 0 } });
      const upload = await client.uploadCatalog([item(1)]);
      if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
      const first = await client.getUploadStatus(upload.ingestionId);
      clock.advance(2000);
      const second = await client.getUploadStatus(upload.ingestionId);
      expect(
        first.kind === 'ok' && second.kind === 'ok' && first.reportDownloadLink !== second.reportDownloadLink,
      ).toBe(true);
    });

    test('when the link is older than its 60 minutes, then S3 refuses it and the client says expired', async () => {
      const clock = manualClock();
      await start({ now: clock.now, processing: { inqueueMs: 0, inprogressMs: 0 } });
      const upload = await client.uploadCatalog([item(1)]);
      if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
      const status = await client.getUploadStatus(upload.ingestionId);
      if (status.kind !== 'ok') throw new Error(status.errorMsg);
      clock.advance(60 * 60 * 1000);

      const response = await fetch(status.reportDownloadLink);
      expect(response.status).toBe(403);
      expect(await response.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
      // This client's clock is the real one, so it only learns of the expiry from S3's answer.
      expect(await client.fetchReport(status.reportDownloadLink)).toEqual({
        kind: 'expired',
        reason: 'HTTP 403: AccessDenied: Request has expired',
      });
      // A client on the moved clock sees it from the link itself.
      const late = createAmazonCatalogClient({
        endpoint: sim.url,
        reportOrigins: [sim.url],
        region: REGION,
        credentials: staticKeys,
        now: clock.now,
      });
      expect(await late.fetchReport(status.reportDownloadLink)).toEqual({
        kind: 'expired',
        reason: expect.stringMatching(/^link expired at/),
      });
    });

    test('when a link is tampered with, then S3 answers SignatureDoesNotMatch', async () => {
      await start({ processing: { inqueueMs: 0, inprogressMs: 0 } });
      const upload = await client.uploadCatalog([item(1)]);
      if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
      const status = await client.getUploadStatus(upload.ingestionId);
      if (status.kind !== 'ok') throw new Error(status.errorMsg);
      const stretched = status.reportDownloadLink.replace('X-Amz-Expires=3600', 'X-Amz-Expires=86400');
      const response = await fetch(stretched);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    test('when the ingestion id is unknown or missing, then the documented 400s come back', async () => {
      await start();
      expect(await client.getUploadStatus('no-such-ingestion')).toEqual({
        kind: 'error',
        status: 400,
        errorMsg: UNKNOWN_INGESTION,
        retryable: false,
      });
      expect(await signedPost(sim.url, '/v1/catalog/getCatalogUploadStatus', {})).toEqual({
        status: 400,
        body: { errorMsg: BAD_STATUS_REQUEST },
      });
    });

    test('when a final status is overridden through the admin endpoint, then the ingestion ends FATAL', async () => {
      await start({ processing: { inqueueMs: 0, inprogressMs: 0 } });
      const upload = await client.uploadCatalog([item(1)]);
      if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
      const admin = await fetch(`${sim.url}/__sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ statusOverride: { [upload.ingestionId]: 'FATAL' } }),
      });
      expect(admin.status).toBe(204);
      expect(await client.getUploadStatus(upload.ingestionId)).toEqual({
        kind: 'ok',
        processingStatus: 'FATAL',
        reportDownloadLink: '',
      });
    });
  });

  describe('error classification', () => {
    beforeEach(() => start());

    test('when Amazon throttles or fails, then 429 and "retry recommended" are retryable, "no retry" and 400 are not', async () => {
      sim.faults.uploadQueue.push('429', '500-retry', '500-no-retry');
      const answers = [];
      for (let n = 0; n < 3; n++) answers.push(await client.uploadCatalog([item(n)]));
      answers.push(await client.uploadCatalog([{ item_sku: 'only-a-sku' }]));
      expect(answers.map((a) => a.kind === 'error' && [a.status, a.errorMsg, a.retryable])).toEqual([
        [429, 'Too Many Requests', true],
        [500, 'Server Error – Retry Recommended', true],
        [500, 'Server Error – No Retry', false],
        [400, 'Missing required fields: item_name, store_id, external_product_id', false],
      ]);
      expect(await client.uploadCatalog([item(9)])).toMatchObject({ kind: 'ok' });
    });

    test('when status calls fail, then they are classified the same way', async () => {
      sim.faults.statusQueue.push('500-no-retry');
      expect(await client.getUploadStatus('any')).toMatchObject({ status: 500, retryable: false });
    });

    test('when nothing listens at the endpoint, then the failure is a retryable network error', async () => {
      const closed = await closedPort();
      const offline = createAmazonCatalogClient({
        endpoint: `http://127.0.0.1:${closed}`,
        region: REGION,
        credentials: staticKeys,
      });
      expect(await offline.uploadCatalog([item(1)])).toMatchObject({ kind: 'error', status: null, retryable: true });
    });

    test('when the endpoint does not answer in time, then the timeout is a retryable error', async () => {
      const silent = createServer(() => undefined);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const slow = createAmazonCatalogClient({
          endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          region: REGION,
          credentials: staticKeys,
          timeoutMs: 100,
        });
        expect(await slow.getUploadStatus('x')).toEqual({
          kind: 'error',
          status: null,
          errorMsg: expect.stringContaining('no response within 100 ms'),
          retryable: true,
        });
      } finally {
        await closeServer(silent);
      }
    });
  });
});

/** SigV4 headers for a JSON POST, minus those fetch sets itself; for requests the client would never send. */
function signedHeaders(url: string, body: string, extraHeaders: Record<string, string> = {}): Record<string, string> {
  const { host, pathname } = new URL(url);
  const signed = aws4.sign(
    {
      method: 'POST',
      host,
      path: pathname,
      headers: { 'Content-Type': 'application/json', ...extraHeaders },
      body,
      service: 'execute-api',
      region: REGION,
    },
    KEYS,
  );
  return Object.fromEntries(
    Object.entries(signed.headers ?? {})
      .filter(([name]) => !['host', 'content-length'].includes(name.toLowerCase()))
      .map(([name, value]) => [name, String(value)]),
  );
}

async function signedPost(baseUrl: string, path: string, payload: unknown): Promise<{ status: number; body: unknown }> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: signedHeaders(`${baseUrl}${path}`, body),
    body,
  });
  return { status: response.status, body: await response.json() };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
