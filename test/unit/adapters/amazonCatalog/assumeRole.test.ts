/**
 * STS AssumeRole against a tiny fake STS on 127.0.0.1 that checks the SigV4 signature the same
 * way AWS does, then the assumed credentials used on the simulated Catalog API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assumeRoleCredentials,
  createAmazonCatalogClient,
  parseAssumeRoleResponse,
  type CredentialsProvider,
} from '../../../../src/adapters/amazonCatalog';
import { startCatalogApiSimulator, verifySigV4 } from '../../../../src/tools/simulator/catalog';

const REGION = 'us-east-1';
const BASE_KEYS = { accessKeyId: 'AKIDBASEUSER', secretAccessKey: 'base-user-secret' };
const ROLE_ARN = 'arn:aws:iam::123456789012:role/JwoCatalogApi';
const TEMPORARY = {
  accessKeyId: 'ASIATEMPORARY',
  secretAccessKey: 'temporary-secret',
  sessionToken: 'token/with+special&chars=',
};

interface FakeSts {
  url: string;
  calls: URLSearchParams[];
  /** Answers the next call with this status and body instead of credentials. */
  failNext(status: number, xml: string): void;
  close(): Promise<void>;
}

/** Expiration this many ms after each call. */
async function startFakeSts(expiresInMs: () => number): Promise<FakeSts> {
  const calls: URLSearchParams[] = [];
  let failure: { status: number; xml: string } | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const verdict = verifySigV4(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body },
      {
        service: 'sts',
        region: REGION,
        secretFor: (id) => (id === BASE_KEYS.accessKeyId ? BASE_KEYS : undefined),
        now: Date.now,
      },
    );
    if (!verdict.ok) {
      res.writeHead(403).end(stsError('SignatureDoesNotMatch', verdict.message));
      return;
    }
    const params = new URLSearchParams(body.toString('utf8'));
    calls.push(params);
    if (failure) {
      res.writeHead(failure.status).end(failure.xml);
      failure = undefined;
      return;
    }
    res.writeHead(200, { 'content-type': 'text/xml' }).end(assumeRoleXml(new Date(Date.now() + expiresInMs())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    failNext: (status, xml) => {
      failure = { status, xml };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function assumeRoleXml(expiration: Date): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;');
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/JwoCatalogApi/jwo</Arn><AssumedRoleId>AROA:jwo</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${TEMPORARY.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${TEMPORARY.secretAccessKey}</SecretAccessKey>
      <SessionToken>${escape(TEMPORARY.sessionToken)}</SessionToken>
      <Expiration>${expiration.toISOString()}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
}

function stsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error></ErrorResponse>`;
}

describe('assumeRoleCredentials', () => {
  let sts: FakeSts;
  let clock: number;

  function provider(base: CredentialsProvider = async () => BASE_KEYS): CredentialsProvider {
    return assumeRoleCredentials({
      roleArn: ROLE_ARN,
      sessionName: 'jwo-catalog',
      base,
      region: REGION,
      stsEndpoint: sts.url,
      now: () => clock,
    });
  }

  beforeEach(async () => {
    clock = Date.now();
    sts = await startFakeSts(() => 60 * 60 * 1000);
  });

  afterEach(() => sts.close());

  test('when the role is assumed, then the signed AssumeRole call returns temporary credentials', async () => {
    const credentials = await provider()();
    expect(credentials).toMatchObject(TEMPORARY);
    expect(Object.fromEntries(sts.calls[0])).toEqual({
      Action: 'AssumeRole',
      Version: '2011-06-15',
      RoleArn: ROLE_ARN,
      RoleSessionName: 'jwo-catalog',
      DurationSeconds: '3600',
    });
  });

  test('when credentials are asked for again, then the cache answers until 5 minutes before expiry', async () => {
    const assumed = provider();
    await Promise.all([assumed(), assumed(), assumed()]);
    expect(sts.calls).toHaveLength(1);
    clock += 54 * 60 * 1000;
    await assumed();
    expect(sts.calls).toHaveLength(1);
    clock += 60 * 1000 + 1000; // past expiry - 5 min (the fake STS dates expiry from its own, slightly later, clock)
    await assumed();
    expect(sts.calls).toHaveLength(2);
  });

  test('when the base credentials are wrong, then the fake STS rejects the signature and nothing is retried', async () => {
    const wrong = provider(async () => ({ ...BASE_KEYS, secretAccessKey: 'wrong' }));
    await expect(wrong()).rejects.toMatchObject({
      name: 'CredentialsError',
      retryable: false,
      message: expect.stringContaining('SignatureDoesNotMatch'),
    });
  });

  test('when STS denies the role or is down, then the error says whether to retry', async () => {
    sts.failNext(403, stsError('AccessDenied', 'not authorized to perform sts:AssumeRole'));
    await expect(provider()()).rejects.toMatchObject({
      retryable: false,
      message: expect.stringContaining('AccessDenied: not authorized'),
    });
    sts.failNext(503, stsError('ServiceUnavailable', 'try later'));
    await expect(provider()()).rejects.toMatchObject({ retryable: true });
  });

  test('when a response lacks a field, then parsing fails naming it', () => {
    const incomplete =
      '<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResponse>';
    expect(() => parseAssumeRoleResponse(incomplete)).toThrow(/Credentials\/Expiration/);
  });

  test('when the Catalog API is called with the assumed role, then the session-token request is accepted', async () => {
    const sim = await startCatalogApiSimulator({
      credentials: TEMPORARY,
      region: REGION,
      stores: [{ storeId: 'S1', retailerId: 'R1' }],
    });
    try {
      const client = createAmazonCatalogClient({ endpoint: sim.url, region: REGION, credentials: provider() });
      const upload = await client.uploadCatalog([
        { item_sku: 'A', item_name: 'Apple', store_id: 'S1', external_product_id: '4011' },
      ]);
      expect(upload).toMatchObject({ kind: 'ok' });

      // The same key without its session token is refused.
      const tokenless = createAmazonCatalogClient({
        endpoint: sim.url,
        region: REGION,
        credentials: async () => ({ accessKeyId: TEMPORARY.accessKeyId, secretAccessKey: TEMPORARY.secretAccessKey }),
      });
      expect(await tokenless.uploadCatalog([{}])).toMatchObject({ status: 403, retryable: false });
    } finally {
      await sim.close();
    }
  });
});
