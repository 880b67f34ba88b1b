/**
 * The pure parts of `jwo connectivity-test`: what each answer of Amazon's API and of our public
 * endpoints says to fix (the failures a simulator cannot produce: IAM denials, TLS, DNS), and the
 * table and JSON renderers.
 */
import { interpretStatusProbe } from '../../../../src/tools/connectivity/catalogApiCheck';
import { CHECKS, ok, problem } from '../../../../src/tools/connectivity/checkRow';
import { interpretEndpointProbes } from '../../../../src/tools/connectivity/connectorEndpointsCheck';
import { interpretSearchAttributes } from '../../../../src/tools/connectivity/temporalCheck';
import { renderJson, renderTable, report } from '../../../../src/tools/connectivity/render';

const ROLE = 'arn:aws:iam::111122223333:role/JwoOnboarding-catalog-api';
const context = { endpoint: 'https://abc.execute-api.us-east-1.amazonaws.com/prod', roleArn: ROLE };
const forbidden = (message: string) =>
  interpretStatusProbe({ kind: 'error', status: 403, errorMsg: message, retryable: false }, context);

describe('interpretStatusProbe', () => {
  test('when the role may not invoke the API, then the fix names execute-api:Invoke and AmazonApiArn', () => {
    const row = forbidden(
      `User: arn:aws:sts::111122223333:assumed-role/JwoOnboarding-catalog-api/jwo is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:999:abc/prod/POST/v1/catalog/getCatalogUploadStatus`,
    );
    expect(row).toMatchObject({
      status: 'problem',
      fix: expect.stringMatching(/^the role needs execute-api:Invoke .*AmazonApiArn/),
    });
  });

  test("when Amazon's resource policy denies the account, then the fix is the onboarding", () => {
    const row = forbidden(
      'User: anonymous is not authorized to perform: execute-api:Invoke on resource: x with an explicit deny',
    );
    expect(row.fix).toMatch(/^the onboarding is incomplete: register this AWS account id in the Merchant Portal/);
  });

  test('when a 403 says nothing more, then all the possible causes are named', () => {
    expect(forbidden('Forbidden').fix).toMatch(/execute-api:Invoke.*AmazonApiArn.*allow-listed in the Merchant Portal/);
    expect(
      interpretStatusProbe({ kind: 'error', status: 403, errorMsg: 'Forbidden', retryable: false }, { endpoint: 'e' })
        .fix,
    ).toMatch(/^CATALOG_API_ROLE_ARN is not set/);
  });

  test('when the role cannot be assumed, the credentials are missing or the network fails, then each says so', () => {
    const nullStatus = (errorMsg: string) =>
      interpretStatusProbe({ kind: 'error', status: null, errorMsg, retryable: true }, context);
    expect(nullStatus(`no AWS credentials: AssumeRole ${ROLE} failed: AccessDenied: not authorized`)).toMatchObject({
      detail: `cannot assume CATALOG_API_ROLE_ARN: AssumeRole ${ROLE} failed: AccessDenied: not authorized`,
      fix: expect.stringContaining('ConnectorTaskRoleArn'),
    });
    expect(nullStatus('no AWS credentials: none found in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY').fix).toMatch(
      /^run this where the worker runs/,
    );
    expect(nullStatus('/v1/catalog/getCatalogUploadStatus: fetch failed: getaddrinfo ENOTFOUND abc')).toMatchObject({
      detail: expect.stringMatching(/^no answer from https:\/\/abc\..*ENOTFOUND/),
      fix: expect.stringContaining('NAT'),
    });
  });
});

describe('interpretEndpointProbes', () => {
  const input = { authHeader: 'x-api-key', keySource: 'JWO_CONNECTOR_KEY' };
  const url = 'https://jwo.example.com/v1/order/purchases';
  const answered = (status: number) => ({ kind: 'response' as const, status, body: '' });

  test('when the certificate or the DNS name is wrong, then the row names the parameter or output to fix', () => {
    const tls = {
      kind: 'error' as const,
      message: 'fetch failed: Hostname/IP does not match',
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    };
    expect(interpretEndpointProbes(CHECKS.orderingConnector, url, tls, tls, input).fix).toMatch(/CertificateArn/);
    const dns = { kind: 'error' as const, message: 'fetch failed: getaddrinfo ENOTFOUND', code: 'ENOTFOUND' };
    expect(interpretEndpointProbes(CHECKS.orderingConnector, url, dns, dns, input).fix).toMatch(/LoadBalancerDnsName/);
  });

  test('when the endpoint answers without a key, then it is a problem even if the keyed request is fine', () => {
    expect(interpretEndpointProbes(CHECKS.orderingConnector, url, answered(400), answered(400), input)).toMatchObject({
      status: 'problem',
      detail: 'a request without a key answered 400, not 401',
    });
    expect(interpretEndpointProbes(CHECKS.orderingConnector, url, answered(503), answered(503), input).fix).toMatch(
      /no healthy API task/,
    );
    expect(interpretEndpointProbes(CHECKS.orderingConnector, url, answered(400), answered(401), input).status).toBe(
      'ok',
    );
  });
});

describe('interpretSearchAttributes', () => {
  test('when attributes are missing or of another type, then the row lists them with the commands to create them', () => {
    expect(interpretSearchAttributes({ StoreId: 2, ShopperId: 2 }, 'prod')).toMatchObject({
      status: 'problem',
      detail: 'missing on prod: TripId, PurchaseStatus',
      fix: expect.stringContaining(
        'temporal operator search-attribute create --namespace prod --name TripId --type Keyword',
      ),
    });
    expect(interpretSearchAttributes({ StoreId: 1, ShopperId: 2, TripId: 2, PurchaseStatus: 2 }, 'prod').detail).toBe(
      'registered with another type: StoreId (want Keyword)',
    );
  });
});

describe('renderers', () => {
  const rows = [
    ok('Database', 'db:5432 answers'),
    problem('SNS subscription', 'none recorded', 'register the queue ARN'),
  ];

  test('the table shows one row per check, the fix under its detail, and a summary', () => {
    expect(renderTable(report(rows))).toBe(
      [
        'status   check             detail / what to do',
        'ok       Database          db:5432 answers',
        'problem  SNS subscription  none recorded',
        '                           → register the queue ARN',
        '',
        '1 of 2 checks failed',
        '',
      ].join('\n'),
    );
  });

  test('the JSON carries ok and the rows as they are', () => {
    expect(JSON.parse(renderJson(report(rows)))).toEqual({ ok: false, rows });
    expect(report([rows[0]]).ok).toBe(true);
  });
});
