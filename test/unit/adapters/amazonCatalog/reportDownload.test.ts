/** Report links are fetched only from Amazon S3's https hosts (or an origin explicitly allowed), never through a redirect. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchReport, reportLinkProblem } from '../../../../src/adapters/amazonCatalog/reportDownload';

const now = () => Date.parse('2024-02-09T18:00:00Z');

function recordingFetch(answer: () => Response = () => new Response('[]')) {
  const calls: string[] = [];
  const fetchImpl = (async (url: string | URL) => {
    calls.push(String(url));
    return answer();
  }) as typeof fetch;
  return { calls, fetchImpl };
}

test.each([
  'https://my-bucket.s3.amazonaws.com/report.json',
  'https://s3.us-east-1.amazonaws.com/my-bucket/report.json',
  'https://my-bucket.s3.eu-west-1.amazonaws.com/reports/1.json?X-Amz-Signature=abc',
])('when the link is %s, then it is fetched', async (link) => {
  const { calls, fetchImpl } = recordingFetch();
  expect(await fetchReport(link, { fetchImpl, timeoutMs: 1000, now })).toEqual({ kind: 'ok', body: '[]' });
  expect(calls).toEqual([link]);
});

test.each([
  ['an http link', 'http://my-bucket.s3.amazonaws.com/report.json', /http: is not https/],
  ['a non-S3 host', 'https://attacker.example/report.json', /not an Amazon S3 host/],
  ['a look-alike host', 'https://my-bucket.s3.amazonaws.com.attacker.example/r', /not an Amazon S3 host/],
  ['a metadata address', 'http://169.254.169.254/latest/meta-data/', /not https/],
  ['a port', 'https://my-bucket.s3.amazonaws.com:8443/r', /no credentials or port/],
  ['not a URL', 'report.json', /not a URL/],
])('when the link is %s, then it is refused without a request', async (_name, link, reason) => {
  const { calls, fetchImpl } = recordingFetch();
  const result = await fetchReport(link, { fetchImpl, timeoutMs: 1000, now });
  expect(result).toMatchObject({ kind: 'error', retryable: false, errorMsg: expect.stringMatching(reason) });
  expect(calls).toEqual([]);
});

describe('a local server (the simulator)', () => {
  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `${origin}/report` });
        return void res.end();
      }
      res.end('[{"sku":"A","status":"SUCCESS"}]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('when its origin is not allowed, then its links are refused', async () => {
    const result = await fetchReport(`${origin}/report`, { fetchImpl: fetch, timeoutMs: 2000, now });
    expect(result).toMatchObject({ kind: 'error', retryable: false });
  });

  test('when its origin is allowed explicitly, then its links are fetched', async () => {
    const result = await fetchReport(`${origin}/report`, {
      fetchImpl: fetch,
      timeoutMs: 2000,
      now,
      allowedOrigins: [origin],
    });
    expect(result).toEqual({ kind: 'ok', body: '[{"sku":"A","status":"SUCCESS"}]' });
  });

  test('when the link redirects, then the redirect is refused, not followed', async () => {
    const result = await fetchReport(`${origin}/redirect`, {
      fetchImpl: fetch,
      timeoutMs: 2000,
      now,
      allowedOrigins: [origin],
    });
    expect(result).toEqual({
      kind: 'error',
      status: 302,
      errorMsg: 'report link refused: it redirects (HTTP 302)',
      retryable: false,
    });
  });
});

test('reportLinkProblem allows exactly the origins given', () => {
  expect(reportLinkProblem('http://127.0.0.1:3098/__reports/x', ['http://127.0.0.1:3098'])).toBeNull();
  expect(reportLinkProblem('http://127.0.0.1:3099/__reports/x', ['http://127.0.0.1:3098'])).not.toBeNull();
});
