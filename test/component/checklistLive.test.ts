/**
 * `jwo checklist --live` over real HTTP against a small express server that plays the deployment:
 * what it answers on each endpoint is set per test.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { parseCsv } from '../../src/domain/catalog';
import {
  checklistReport,
  LIVE_CHECKLIST_CSV_HEADER,
  REQUIRED_METRICS,
  type ReadinessReport,
} from '../../src/tools/readiness/checklist';

const OPERATOR_KEY = 'test-operator-key';
const CONNECTOR_KEY = 'test-connector-key';

const HEALTHY_METRICS = [
  '# HELP jwo_gate_decisions_total Identity Connector answers',
  '# TYPE jwo_gate_decisions_total counter',
  '# HELP jwo_gate_decision_seconds Identity Connector response time',
  '# TYPE jwo_gate_decision_seconds histogram',
  'jwo_gate_decision_seconds_bucket{le="0.005"} 0',
  '# HELP jwo_purchase_requests_total Ordering Connector answers',
  '# TYPE jwo_purchase_requests_total counter',
  'jwo_purchase_requests_total{status="201",outcome="NEW"} 3',
  // The business gauges the alerts need, as prom-client declares them.
  ...REQUIRED_METRICS.filter(
    (name) => !/^jwo_(gate_decisions_total|gate_decision_seconds|purchase_requests_total)$/.test(name),
  ).map((name) => `# TYPE ${name} gauge`),
].join('\n');

const READY_REPORT: ReadinessReport = {
  temporal: {
    reachable: true,
    searchAttributes: ['StoreId', 'ShopperId', 'TripId', 'PurchaseStatus', 'CustomKeywordField'],
  },
  stores: [
    {
      storeId: 'STORE-001',
      catalogItems: 120,
      lastCatalogUpload: { status: 'DONE', finishedAt: '2026-08-20T10:00:00Z' },
    },
    {
      storeId: 'STORE-002',
      catalogItems: 80,
      lastCatalogUpload: { status: 'DONE', finishedAt: '2026-08-21T10:00:00Z' },
    },
  ],
  lastLoadTest: { gateP99Ms: 840, at: '2026-08-25T14:00:00Z' },
  secretsAtDemoValues: [],
};

/** What the fake deployment answers; each test changes what it needs. */
interface Behaviour {
  healthz: { status: number };
  readyz: { status: number; body: unknown };
  /** Whether the connector endpoints check credentials before the body. */
  identityAuthFirst: boolean;
  purchasesAuthFirst: boolean;
  metrics: string;
  readiness: { status: number; body: unknown };
}

const healthy = (): Behaviour => ({
  healthz: { status: 200 },
  readyz: { status: 200, body: { status: 'ready', database: 'ok', temporal: 'ok' } },
  identityAuthFirst: true,
  purchasesAuthFirst: true,
  metrics: HEALTHY_METRICS,
  readiness: { status: 200, body: READY_REPORT },
});

function fakeDeployment(behaviour: () => Behaviour) {
  const app = express();
  app.use(express.json());
  app.get('/healthz', (_req, res) => void res.status(behaviour().healthz.status).json({ status: 'ok' }));
  app.get('/readyz', (_req, res) => void res.status(behaviour().readyz.status).json(behaviour().readyz.body));
  const connector =
    (authFirst: () => boolean, validAnswer: { status: number; body: unknown }) =>
    (req: express.Request, res: express.Response) => {
      if (authFirst() && req.header('x-api-key') !== CONNECTOR_KEY)
        return void res.status(401).json({ message: 'missing credentials' });
      if (!req.body?.requestId) return void res.status(400).json({ message: 'requestId is required' });
      res.status(validAnswer.status).json(validAnswer.body);
    };
  app.post(
    '/v1/identity/identity-keys',
    connector(() => behaviour().identityAuthFirst, { status: 200, body: {} }),
  );
  app.post(
    '/v1/order/purchases',
    connector(() => behaviour().purchasesAuthFirst, { status: 201, body: {} }),
  );
  app.get('/metrics', (_req, res) => void res.type('text/plain').send(behaviour().metrics));
  app.get('/ops/v1/readiness', (req, res) => {
    if (req.header('x-operator-key') !== OPERATOR_KEY)
      return void res.status(401).json({ message: 'invalid credentials' });
    res.status(behaviour().readiness.status).json(behaviour().readiness.body);
  });
  return app;
}

/** Runs the live checklist and reads its CSV back: item id → status and detail. */
async function checkLive(apiUrl: string, operatorKey = OPERATOR_KEY) {
  const { output, failedItems } = await checklistReport({
    format: 'csv',
    live: { apiUrl, operatorKey, timeoutMs: 2000 },
  });
  const [header, ...rows] = parseCsv(output).map((record) => record.fields);
  expect(header).toEqual([...LIVE_CHECKLIST_CSV_HEADER]);
  const items = new Map(rows.map((fields) => [fields[0], { status: fields[4], detail: fields[5] }]));
  return { items, failedItems };
}

const LIVE_ITEMS = ['IDV-01', 'CAT-01', 'OBS-01', 'OBS-02', 'OBS-03', 'OBS-04', 'SEC-01', 'SEC-02', 'SEC-03'];
const READINESS_ITEMS = ['IDV-01', 'CAT-01', 'OBS-04', 'SEC-03'];

describe('jwo checklist --live against a running deployment', () => {
  let server: Server;
  let apiUrl: string;
  let behaviour: Behaviour;

  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const listening = fakeDeployment(() => behaviour).listen(0, '127.0.0.1', () => resolve(listening));
    });
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    behaviour = healthy();
  });

  test('when everything is in order, then every live item PASSED, the rest is MANUAL and nothing failed', async () => {
    const { items, failedItems } = await checkLive(apiUrl);
    expect(failedItems).toEqual([]);
    for (const id of LIVE_ITEMS) expect([id, items.get(id)?.status]).toEqual([id, 'PASSED']);
    expect([...items.values()].filter((item) => item.status === 'MANUAL')).toHaveLength(items.size - LIVE_ITEMS.length);
    expect(items.get('IDV-01')?.detail).toBe('gate p99 840 ms (load test at 2026-08-25T14:00:00Z), within 2000 ms');
    expect(items.get('CAT-01')?.detail).toBe(
      'STORE-001: 120 items, DONE at 2026-08-20T10:00:00Z; STORE-002: 80 items, DONE at 2026-08-21T10:00:00Z',
    );
    expect(items.get('SEC-01')?.detail).toBe('POST /v1/identity/identity-keys without credentials answered 401');
  });

  test('when each thing is wrong, then its item FAILED with the reason and the run reports the failures', async () => {
    behaviour.healthz = { status: 503 };
    behaviour.readyz = {
      status: 503,
      body: { status: 'not ready', database: 'unavailable: connection refused', temporal: 'ok' },
    };
    behaviour.identityAuthFirst = false;
    behaviour.purchasesAuthFirst = false;
    behaviour.metrics = HEALTHY_METRICS.split('\n')
      .filter((line) => !line.includes('jwo_purchase_requests_total'))
      .join('\n');
    behaviour.readiness = {
      status: 200,
      body: {
        temporal: { reachable: false, searchAttributes: ['StoreId', 'ShopperId'] },
        stores: [
          {
            storeId: 'STORE-001',
            catalogItems: 120,
            lastCatalogUpload: { status: 'DONE', finishedAt: '2026-08-20T10:00:00Z' },
          },
          {
            storeId: 'STORE-002',
            catalogItems: 80,
            lastCatalogUpload: { status: 'FATAL', finishedAt: '2026-08-21T10:00:00Z' },
          },
          { storeId: 'STORE-003', catalogItems: 0, lastCatalogUpload: { status: null, finishedAt: null } },
          {
            storeId: 'STORE-004',
            catalogItems: 0,
            lastCatalogUpload: { status: 'DONE', finishedAt: '2026-08-21T10:00:00Z' },
          },
        ],
        lastLoadTest: { gateP99Ms: 2350, at: '2026-08-25T14:00:00Z' },
        secretsAtDemoValues: ['CONNECTOR_API_KEYS', 'SCAN_KEY_MAC_KEYS'],
      },
    };

    const { items, failedItems } = await checkLive(apiUrl);
    expect(failedItems).toEqual(LIVE_ITEMS);
    expect(Object.fromEntries(LIVE_ITEMS.map((id) => [id, items.get(id)]))).toEqual({
      'IDV-01': {
        status: 'FAILED',
        detail: 'gate p99 2350 ms (load test at 2026-08-25T14:00:00Z) is over the 2000 ms budget',
      },
      'CAT-01': {
        status: 'FAILED',
        detail:
          'STORE-002: last catalog upload is FATAL; STORE-003: no catalog upload; STORE-004: last upload DONE but no catalog items',
      },
      'OBS-01': { status: 'FAILED', detail: 'GET /healthz answered 503' },
      'OBS-02': { status: 'FAILED', detail: 'GET /readyz answered 503: database: unavailable: connection refused' },
      'OBS-03': { status: 'FAILED', detail: 'not exported: jwo_purchase_requests_total' },
      'OBS-04': {
        status: 'FAILED',
        detail:
          'Temporal is not reachable from the deployment; search attributes not registered: TripId, PurchaseStatus',
      },
      'SEC-01': {
        status: 'FAILED',
        detail: 'POST /v1/identity/identity-keys without credentials answered 400; it must answer 401',
      },
      'SEC-02': {
        status: 'FAILED',
        detail: 'POST /v1/order/purchases without credentials answered 400; it must answer 401',
      },
      'SEC-03': { status: 'FAILED', detail: 'still at their demo values: CONNECTOR_API_KEYS, SCAN_KEY_MAC_KEYS' },
    });
  });

  test('when the deployment has no readiness endpoint (404), then the items it would answer are MANUAL and the HTTP ones still checked', async () => {
    behaviour.readiness = { status: 404, body: { message: 'not found' } };
    const { items, failedItems } = await checkLive(apiUrl);
    expect(failedItems).toEqual([]);
    for (const id of READINESS_ITEMS) {
      expect([id, items.get(id)?.status]).toEqual([id, 'MANUAL']);
      expect(items.get(id)?.detail).toContain('the deployment has no /ops/v1/readiness (404)');
    }
    for (const id of LIVE_ITEMS.filter((id) => !READINESS_ITEMS.includes(id)))
      expect([id, items.get(id)?.status]).toEqual([id, 'PASSED']);
  });

  test('when no load test has been recorded, then the gate p99 item is MANUAL', async () => {
    behaviour.readiness = { status: 200, body: { ...READY_REPORT, lastLoadTest: null } };
    expect((await checkLive(apiUrl)).items.get('IDV-01')).toEqual({
      status: 'MANUAL',
      detail: 'no load test recorded: run one and record its gate p99',
    });
    behaviour.readiness = { status: 200, body: { ...READY_REPORT, lastLoadTest: { gateP99Ms: null, at: null } } };
    expect((await checkLive(apiUrl)).items.get('IDV-01')?.status).toBe('MANUAL');
  });

  test('when the operator key is refused, then the readiness items FAILED saying which variable to set', async () => {
    const { items } = await checkLive(apiUrl, 'wrong-key');
    for (const id of READINESS_ITEMS) {
      expect(items.get(id)).toEqual({
        status: 'FAILED',
        detail: "GET /ops/v1/readiness answered 401: set JWO_OPERATOR_KEY to one of the deployment's operator keys",
      });
    }
  });

  test('when the readiness endpoint answers another shape, then the readiness items FAILED naming the field', async () => {
    behaviour.readiness = {
      status: 200,
      body: { ...READY_REPORT, temporal: { reachable: 'yes', searchAttributes: [] } },
    };
    expect((await checkLive(apiUrl)).items.get('OBS-04')?.detail).toMatch(
      /^GET \/ops\/v1\/readiness answered something that is not a readiness report \(temporal\.reachable: .*boolean.*\)$/,
    );
  });

  test('when nothing listens at the address, then every live item FAILED saying it cannot be reached', async () => {
    const closed = await new Promise<Server>((resolve) => {
      const listening = express().listen(0, '127.0.0.1', () => resolve(listening));
    });
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const { items, failedItems } = await checkLive(deadUrl);
    expect(failedItems).toEqual(LIVE_ITEMS);
    expect(items.get('OBS-01')?.detail).toMatch(new RegExp(`^cannot reach ${deadUrl}/healthz: .*ECONNREFUSED`));
  });

  test('when rendered as Markdown, then it opens with the counts and shows each status in the tables', async () => {
    behaviour.healthz = { status: 500 };
    const { output, failedItems } = await checklistReport({
      format: 'md',
      live: { apiUrl, operatorKey: OPERATOR_KEY },
    });
    expect(failedItems).toEqual(['OBS-01']);
    expect(output).toContain(`Checked against ${apiUrl}: 8 passed, 1 failed, `);
    expect(output).toContain(
      '| OBS-01 | FAILED | The API answers its liveness probe /healthz. | GET /healthz answered 500 |',
    );
  });
});
