/**
 * The Catalog API client on its own, with a stubbed fetch: how answers are classified and read,
 * how requests are signed, report links and report parsing, credentials from the environment.
 */
import {
  createAmazonCatalogClient,
  envCredentials,
  isNoRetryServerError,
  parseReport,
  presignedUrlExpiry,
  regionFromEndpoint,
  CredentialsError,
  type AmazonCatalogClientOptions,
} from '../../../../src/adapters/amazonCatalog';

const ENDPOINT = 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod';
const KEYS = { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' };

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that records calls and answers with the given status and body. */
function stubFetch(status: number, body: unknown) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function clientAnswering(status: number, body: unknown, options: Partial<AmazonCatalogClientOptions> = {}) {
  const stub = stubFetch(status, body);
  const client = createAmazonCatalogClient({
    endpoint: ENDPOINT,
    credentials: async () => KEYS,
    fetchImpl: stub.fetchImpl,
    ...options,
  });
  return { client, calls: stub.calls };
}

describe('isNoRetryServerError', () => {
  test.each([
    ['Server Error – No Retry', true],
    ['server error - no retry', true],
    ['NO_RETRY', true],
    ['Server Error – Retry Recommended', false],
    ['Internal server error', false],
    ['Unknown retry policy', false],
  ])('"%s" → %s', (message, expected) => {
    expect(isNoRetryServerError(message)).toBe(expected);
  });
});

describe('error classification', () => {
  test.each([
    [429, { errorMsg: 'Too Many Requests' }, 'Too Many Requests', true],
    [500, { errorMsg: 'Server Error – Retry Recommended' }, 'Server Error – Retry Recommended', true],
    [500, { errorMsg: 'Server Error – No Retry' }, 'Server Error – No Retry', false],
    [500, { errorMsg: 'Server Error', retryable: false }, 'Server Error', false],
    [400, { errorMsg: 'Invalid request body' }, 'Invalid request body', false],
    [403, { message: 'Missing Authentication Token' }, 'Missing Authentication Token', false],
    [502, 'Bad Gateway', 'Bad Gateway', true],
    [503, '', 'HTTP 503', true],
  ])(
    'when Amazon answers %i %j, then the error reads "%s" with retryable %s',
    async (status, body, errorMsg, retryable) => {
      const { client } = clientAnswering(status, body);
      expect(await client.uploadCatalog([{}])).toEqual({ kind: 'error', status, errorMsg, retryable });
    },
  );

  test('when a custom rule says which 500s are final, then it replaces the default', async () => {
    const { client } = clientAnswering(
      500,
      { errorMsg: 'E_FATAL' },
      { isFinalServerError: (msg) => msg === 'E_FATAL' },
    );
    expect(await client.getUploadStatus('id')).toMatchObject({ retryable: false });
  });

  test('when a 201 has no ingestion id, then it is a non-retryable error, not a success', async () => {
    const { client } = clientAnswering(201, { somethingElse: true });
    expect(await client.uploadCatalog([{}])).toMatchObject({ kind: 'error', status: 201, retryable: false });
  });

  test('when the credentials provider fails, then the call returns an error carrying its retryability', async () => {
    const { fetchImpl, calls } = stubFetch(201, { ingestionId: 'x' });
    const client = createAmazonCatalogClient({
      endpoint: ENDPOINT,
      fetchImpl,
      credentials: async () => {
        throw new CredentialsError('STS unreachable', true);
      },
    });
    expect(await client.uploadCatalog([{}])).toEqual({
      kind: 'error',
      status: null,
      errorMsg: 'no AWS credentials: STS unreachable',
      retryable: true,
    });
    expect(calls).toHaveLength(0);
  });
});

describe('requests and responses', () => {
  test('when uploading, then the items are POSTed as catalogItems to <endpoint>/v1/catalog/upload, SigV4-signed', async () => {
    const { client, calls } = clientAnswering(201, { ingestionId: 'ing-1', extra: 'ignored' });
    expect(await client.uploadCatalog([{ item_sku: 'A' }])).toEqual({ kind: 'ok', ingestionId: 'ing-1' });
    const [{ url, init }] = calls;
    const headers = init.headers as Record<string, string>;
    expect(url).toBe(`${ENDPOINT}/v1/catalog/upload`);
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ catalogItems: [{ item_sku: 'A' }] });
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers.Authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDUNIT\/\d{8}\/eu-central-1\/execute-api\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  test('when the credentials are temporary, then the session token is sent and signed', async () => {
    const stub = stubFetch(200, { processingStatus: 'INQUEUE', reportDownloadLink: '' });
    const client = createAmazonCatalogClient({
      endpoint: ENDPOINT,
      fetchImpl: stub.fetchImpl,
      credentials: async () => ({ ...KEYS, sessionToken: 'session-token' }),
    });
    await client.getUploadStatus('ing-1');
    const headers = stub.calls[0].init.headers as Record<string, string>;
    expect(stub.calls[0].url).toBe(`${ENDPOINT}/v1/catalog/getCatalogUploadStatus`);
    expect(JSON.parse(String(stub.calls[0].init.body))).toEqual({ ingestionId: 'ing-1' });
    expect(headers['X-Amz-Security-Token']).toBe('session-token');
    expect(headers.Authorization).toContain('x-amz-security-token');
  });

  test('when the status answer has unknown fields, a lower-case status or no link, then it is still read', async () => {
    const { client } = clientAnswering(200, { processingStatus: 'inprogress', newField: { nested: 1 } });
    expect(await client.getUploadStatus('x')).toEqual({
      kind: 'ok',
      processingStatus: 'INPROGRESS',
      reportDownloadLink: '',
    });
  });

  test('when the status is not one of the five known, then it is an error', async () => {
    const { client } = clientAnswering(200, { processingStatus: 'PAUSED', reportDownloadLink: '' });
    expect(await client.getUploadStatus('x')).toMatchObject({ kind: 'error', status: 200, retryable: false });
  });
});

describe('region', () => {
  test('when the endpoint is an execute-api host, then the region comes from it', () => {
    expect(regionFromEndpoint(ENDPOINT)).toBe('eu-central-1');
    expect(createAmazonCatalogClient({ endpoint: ENDPOINT, credentials: async () => KEYS }).region).toBe(
      'eu-central-1',
    );
  });

  test('when the host says nothing about the region and none is given, then creating the client fails clearly', () => {
    expect(() =>
      createAmazonCatalogClient({ endpoint: 'https://catalog.example.com', credentials: async () => KEYS }),
    ).toThrow(/pass the region option/);
    const explicit = createAmazonCatalogClient({
      endpoint: 'https://catalog.example.com',
      region: 'us-west-2',
      credentials: async () => KEYS,
    });
    expect(explicit.region).toBe('us-west-2');
  });
});

describe('report download', () => {
  const link =
    'https://bucket.s3.amazonaws.com/report.json?X-Amz-Date=20240102T030405Z&X-Amz-Expires=3600&X-Amz-Signature=abc';
  const signedAt = Date.UTC(2024, 0, 2, 3, 4, 5);

  test('presignedUrlExpiry reads X-Amz-Date + X-Amz-Expires', () => {
    expect(presignedUrlExpiry(link)).toBe(signedAt + 3600_000);
    expect(presignedUrlExpiry('https://example.com/report.json')).toBeUndefined();
  });

  test('when the link is past its expiry, then it is reported expired without being fetched', async () => {
    const { client, calls } = clientAnswering(200, '[]', { now: () => signedAt + 3600_000 });
    expect(await client.fetchReport(link)).toMatchObject({ kind: 'expired' });
    expect(calls).toHaveLength(0);
  });

  test('when the link is valid, then it is fetched unsigned', async () => {
    const { client, calls } = clientAnswering(200, '[]', { now: () => signedAt + 60_000 });
    expect(await client.fetchReport(link)).toEqual({ kind: 'ok', body: '[]' });
    expect(calls[0].init.headers).toBeUndefined();
  });

  test.each([403, 404, 410])('when S3 answers %i, then the link counts as expired', async (status) => {
    const { client } = clientAnswering(
      status,
      '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>',
    );
    expect(await client.fetchReport('https://bucket.s3.amazonaws.com/r.json')).toEqual({
      kind: 'expired',
      reason: `HTTP ${status}: AccessDenied: Request has expired`,
    });
  });

  test('when S3 fails with a 500, then it is a retryable error', async () => {
    const { client } = clientAnswering(500, '<Error><Code>InternalError</Code></Error>');
    const result = await client.fetchReport('https://bucket.s3.amazonaws.com/r.json');
    expect(result).toMatchObject({ kind: 'error', status: 500, retryable: true });
  });
});

describe('parseReport', () => {
  test('when the report is a JSON array, then each entry is read', () => {
    const body = JSON.stringify([
      { item_sku: 'A', status: 'SUCCESS', errors: [] },
      { item_sku: 'B', status: 'FAILED', errors: ['bad barcode'] },
    ]);
    expect(parseReport(body)).toEqual({
      entries: [
        { sku: 'A', status: 'SUCCESS', errors: [] },
        { sku: 'B', status: 'FAILED', errors: ['bad barcode'] },
      ],
      unparsed: 0,
    });
  });

  test.each(['items', 'results', 'report'])('when the array is under "%s", then it is found', (key) => {
    expect(parseReport(JSON.stringify({ ingestionId: 'x', [key]: [{ sku: 'A', result: 'ok' }] })).entries).toEqual([
      { sku: 'A', status: 'SUCCESS', errors: [] },
    ]);
  });

  test('when entries use other names and shapes, then they are normalised', () => {
    const body = JSON.stringify({
      results: [
        { itemSku: 42, result: 'Failure', errorMessages: [{ code: 'E1', message: 'name too long' }, 'second'] },
        { sku: 'C', message: 'store unknown' },
        { sku: 'D', status: 'Succeeded', message: 'Item processed' },
        { sku: 'E', status: false, errors: 'single error' },
      ],
    });
    expect(parseReport(body)).toEqual({
      entries: [
        { sku: '42', status: 'FAILED', errors: ['name too long', 'second'] },
        { sku: 'C', status: 'FAILED', errors: ['store unknown'] },
        { sku: 'D', status: 'SUCCESS', errors: [] },
        { sku: 'E', status: 'FAILED', errors: ['single error'] },
      ],
      unparsed: 0,
    });
  });

  test('when the report is JSON Lines with broken lines, then good lines are read and the rest counted', () => {
    const body = [
      '{"item_sku":"A","status":"SUCCESS"}',
      'not json',
      '',
      '{"item_sku":"B","status":"FAILED","errors":["x"]}',
      '{"status":"SUCCESS"}',
      '{"item_sku":"C","status":"WHATEVER"}',
    ].join('\n');
    expect(parseReport(body)).toEqual({
      entries: [
        { sku: 'A', status: 'SUCCESS', errors: [] },
        { sku: 'B', status: 'FAILED', errors: ['x'] },
      ],
      unparsed: 3,
    });
  });

  test('when the report is empty, unknown JSON or a single entry, then nothing is invented', () => {
    expect(parseReport('')).toEqual({ entries: [], unparsed: 0 });
    expect(parseReport('{"summary":{"total":3}}')).toEqual({ entries: [], unparsed: 1 });
    expect(parseReport('\uFEFF{"item_sku":"A","status":"SUCCESS"}')).toEqual({
      entries: [{ sku: 'A', status: 'SUCCESS', errors: [] }],
      unparsed: 0,
    });
  });
});

describe('envCredentials', () => {
  test('when the variables are set, then they become the credentials', async () => {
    const provider = envCredentials({
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    });
    expect(await provider()).toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' });
    expect(
      await envCredentials({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: '' })(),
    ).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    });
  });

  test('when a variable is missing, then building the provider fails naming it', () => {
    expect(() => envCredentials({ AWS_ACCESS_KEY_ID: 'AKID' })).toThrow(/AWS_SECRET_ACCESS_KEY/);
  });
});
