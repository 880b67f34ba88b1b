/** `jwo` uses the demo operator key only against a connector that says it is the demo; it never prints keys in full. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { maskSecret, opsClient } from '../../../../src/tools/cli/opsClient';

async function connector(demoMode: boolean): Promise<{ url: string; server: Server; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/readyz') return void res.end(JSON.stringify({ status: 'ready', demoMode }));
    seen.push(req.headers);
    res.end(JSON.stringify({ entries: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

test('when no key is set and the connector is not the demo, then the command stops and says what to set', async () => {
  const { url, server, seen } = await connector(false);
  try {
    await expect(opsClient({ JWO_API_URL: url }).get('/ops/v1/audit')).rejects.toThrow(
      /no operator credential: set JWO_OPERATOR_KEY .* not in demo mode/,
    );
    expect(seen).toEqual([]);
  } finally {
    server.close();
  }
});

test('when no key is set and the connector is the demo, then the demo key is sent', async () => {
  const { url, server, seen } = await connector(true);
  try {
    await opsClient({ JWO_API_URL: url }).get('/ops/v1/audit');
    expect(seen[0]['x-operator-key']).toBe('demo-operator-key');
  } finally {
    server.close();
  }
});

test('when a key or a token is set, then it is sent as is', async () => {
  const { url, server, seen } = await connector(false);
  try {
    await opsClient({ JWO_API_URL: url, JWO_OPERATOR_KEY: 'k'.repeat(40) }).get('/ops/v1/audit');
    await opsClient({ JWO_API_URL: url, JWO_OPERATOR_TOKEN: 'a.b.c' }).get('/ops/v1/audit');
    expect(seen[0]['x-operator-key']).toBe('k'.repeat(40));
    expect(seen[1].authorization).toBe('Bearer a.b.c');
  } finally {
    server.close();
  }
});

test('when a key is shown, then all but its last 4 characters are masked', () => {
  expect(maskSecret('0123456789abcdef')).toBe('************cdef');
  expect(maskSecret('short')).toBe('*****');
  expect(maskSecret(undefined)).toBe('(none)');
});
