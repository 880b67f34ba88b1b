import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import express from 'express';
// ajv is already installed (through @temporalio/worker's webpack); its 2020 build speaks JSON Schema 2020-12.
import Ajv2020 from 'ajv/dist/2020';
import type { Client } from '@temporalio/client';
import type { Database } from '../../../src/adapters/db/database';
import { createLogger } from '../../../src/adapters/logger';
import { createApp } from '../../../src/api/app';
import { createMetrics } from '../../../src/api/metrics';
import { verifyIdentityKeysRequest } from '../../../src/api/identityKeys/schema';
import { createPurchasesRequest } from '../../../src/api/purchases/schema';
import { buildOpenApiDocument, EXAMPLES, openApiRouter, serializeOpenApi } from '../../../src/api/openapi';
import { loadConfig } from '../../../src/config';

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: unknown; example?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string; name?: string }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
const document = buildOpenApiDocument() as Document;

function operations(doc: Document): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]): [string, string, Operation] => [path, method, op]),
  );
}

/** Every `$ref` in the document, with where it was found. */
function refs(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refs(v, `${at}/${key}`),
  );
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

describe('openapi.json', () => {
  it('is the committed output of buildOpenApiDocument()', () => {
    const file = resolve(__dirname, '../../../openapi.json');
    let committed: string;
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      throw new Error('openapi.json is missing at the repository root: run `npm run openapi` and commit it');
    }
    const generated = serializeOpenApi(document);
    if (committed !== generated) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        'openapi.json is out of date with the zod schemas: run `npm run openapi` and commit openapi.json.\n' +
          `First difference at line ${line + 1}:\n  committed: ${a[line]}\n  generated: ${b[line]}`,
      );
    }
  });
});

describe('the document is OpenAPI 3.1', () => {
  it('declares 3.1.0, an info block and JSON Schema 2020-12', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(typeof document.info.title).toBe('string');
    expect(typeof document.info.version).toBe('string');
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect([name, '$schema' in schema]).toEqual([name, false]);
    }
  });

  it('covers the connector, app and operator endpoints', () => {
    const listed = operations(document).map(([path, method]) => `${method.toUpperCase()} ${path}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'POST /v1/identity/identity-keys',
        'POST /v1/order/purchases',
        'POST /app/v1/sessions',
        'GET /app/v1/me',
        'POST /app/v1/scan-keys',
        'POST /ops/v1/scan-keys',
        'GET /v1/purchases/{purchaseId}',
        'GET /ops/v1/purchases',
        'GET /ops/v1/purchases/{id}',
        'POST /ops/v1/purchases/{tripId}/replay',
        'GET /ops/v1/badcarts',
        'POST /ops/v1/badcarts/{tripId}/resolve',
        'POST /ops/v1/shoppers/{shopperId}/settle',
        'POST /ops/v1/catalog/imports',
        'POST /ops/v1/catalog/uploads',
        'GET /ops/v1/catalog/uploads/{uploadId}',
        'GET /ops/v1/catalog/uploads/{uploadId}/report',
        'POST /ops/v1/loadtests',
        'GET /ops/v1/loadtests/latest',
        'GET /ops/v1/readiness',
      ]),
    );
  });

  it('documents every route the app serves (a new route without documentation fails here)', () => {
    const { app } = createApp({
      config: loadConfig({ DEMO_MODE: 'true' }),
      db: {} as Database,
      temporal: {} as Client,
      logger: createLogger('silent'),
      metrics: createMetrics(),
    });
    type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
    const routes = (stack: Layer[]): string[] =>
      stack.flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
          : routes(layer.handle?.stack ?? []),
      );
    const served = new Set(routes((app as unknown as { router: { stack: Layer[] } }).router.stack));
    // express writes path parameters as :name, OpenAPI as {name}.
    const documented = new Set(
      operations(document).map(([path, method]) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(served.size).toBeGreaterThan(10);
    expect([...served].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !served.has(r))).toEqual([]);
  });

  it('gives every operation an id, responses with descriptions, its path parameters and known security', () => {
    const ids = new Set<string>();
    for (const [path, method, op] of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, typeof op.operationId]).toEqual([where, 'string']);
      expect([where, ids.has(op.operationId!)]).toEqual([where, false]);
      ids.add(op.operationId!);
      expect([where, Object.keys(op.responses ?? {}).length > 0]).toEqual([where, true]);
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        expect([where, status, typeof response.description]).toEqual([where, status, 'string']);
      }
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      expect([where, declared]).toEqual([where, templated]);
      for (const p of op.parameters ?? []) if (p.in === 'path') expect(p.required).toBe(true);
      expect([where, Array.isArray(op.security)]).toEqual([where, true]);
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) {
          expect([where, scheme in document.components.securitySchemes]).toEqual([where, true]);
        }
      }
    }
  });

  it('resolves every $ref', () => {
    const all = refs(document);
    expect(all.length).toBeGreaterThan(20);
    const dangling = all.filter(({ ref }) => resolvePointer(document, ref) === undefined);
    expect(dangling).toEqual([]);
  });

  it("documents the connectors' statuses and the error body", () => {
    const gate = document.paths['/v1/identity/identity-keys'].post;
    expect(Object.keys(gate.responses!).sort()).toEqual(['200', '400', '401', '429', '500']);
    const purchases = document.paths['/v1/order/purchases'].post;
    expect(Object.keys(purchases.responses!).sort()).toEqual(['201', '400', '401', '409', '500']);
    expect(document.components.schemas.ErrorBody).toMatchObject({
      type: 'object',
      required: ['message'],
      properties: {
        message: { type: 'string' },
        errors: { type: 'array', items: { required: ['field', 'reason'] } },
        reason: { type: 'string' },
      },
    });
  });

  it('has the three security schemes, the connector header configurable', () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.connectorKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(schemes.operatorKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-operator-key' });
    expect(schemes.appSession).toMatchObject({ type: 'http', scheme: 'bearer' });
    const custom = buildOpenApiDocument({ connectorAuthHeader: 'x-jwo-key' }) as Document;
    expect(custom.components.securitySchemes.connectorKey.name).toBe('x-jwo-key');
    expect(document.paths['/v1/order/purchases'].post.security).toContainEqual({ connectorKey: [] });
    expect(document.paths['/ops/v1/readiness'].get.security).toContainEqual({ operatorKey: [] });
    expect(document.paths['/app/v1/me'].get.security).toEqual([{ appSession: [] }]);
    expect(document.paths['/app/v1/sessions'].post.security).toEqual([]);
  });
});

describe('the generated request schemas validate like the zod schemas', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validator = (name: string) => ajv.compile(document.components.schemas[name]);
  const verify = validator('VerifyIdentityKeysRequest');
  const purchase = validator('CreatePurchasesRequest');
  const clone = <T>(v: T): T => structuredClone(v);

  it('accepts the documented examples, as zod does', () => {
    expect(verify(EXAMPLES.verifyIdentityKeys)).toBe(true);
    expect(purchase(EXAMPLES.createPurchases)).toBe(true);
    expect(verifyIdentityKeysRequest.safeParse(EXAMPLES.verifyIdentityKeys).success).toBe(true);
    expect(createPurchasesRequest.safeParse(EXAMPLES.createPurchases).success).toBe(true);
    // The request bodies in the document carry the same examples.
    expect(document.paths['/v1/identity/identity-keys'].post.requestBody!.content['application/json'].example).toEqual(
      EXAMPLES.verifyIdentityKeys,
    );
  });

  it('accepts unknown fields (jwo-api.md: new attributes must be ignored)', () => {
    const withExtra = { ...clone(EXAMPLES.verifyIdentityKeys), futureField: { anything: 1 } };
    expect(verify(withExtra)).toBe(true);
    expect(verifyIdentityKeysRequest.safeParse(withExtra).success).toBe(true);
  });

  const badGate: [string, (b: any) => void, string][] = [
    ['no requestId', (b) => delete b.requestId, 'required'],
    ['a requestId that is not a UUID', (b) => (b.requestId = 'not-a-uuid'), 'pattern'],
    ['an identityKey that is not Base64 (the second stage of a zod pipe)', (b) => (b.identityKey = 'a b!'), 'pattern'],
    ['an identityKey over 1000 characters', (b) => (b.identityKey = 'QUFB'.repeat(251)), 'maxLength'],
    ['an unknown authEvent.location', (b) => (b.authEvent.location = 'EXIT'), 'enum'],
    ['an unknown keyChannel', (b) => (b.keyChannel = 'NFC'), 'enum'],
    ['no authEvent', (b) => delete b.authEvent, 'required'],
  ];
  it.each(badGate)('rejects a gate request with %s, as zod does', (_name, spoil, keyword) => {
    const bad = clone(EXAMPLES.verifyIdentityKeys);
    spoil(bad);
    expect(verify(bad)).toBe(false);
    expect(verify.errors!.map((e) => e.keyword)).toContain(keyword);
    expect(verifyIdentityKeysRequest.safeParse(bad).success).toBe(false);
  });

  const badPurchase: [string, (b: any) => void, string][] = [
    ['no cartItems', (b) => delete b.cartItems, 'required'],
    ['no auth events', (b) => (b.shoppingTrip.authEvents = []), 'minItems'],
    ['an unknown cart item type', (b) => (b.cartItems[0].type = 'BARCODE'), 'enum'],
    ['a numeric quantity value', (b) => (b.cartItems[0].quantity.value = 1), 'type'],
    ['an unknown payloadType', (b) => (b.shoppingTrip.authEvents[0].payloadType = 'CASH'), 'enum'],
    ['an auth event id that is not a UUID', (b) => (b.shoppingTrip.authEvents[0].id = 'x'), 'pattern'],
  ];
  it.each(badPurchase)('rejects a purchase with %s, as zod does', (_name, spoil, keyword) => {
    const bad = clone(EXAMPLES.createPurchases);
    spoil(bad);
    expect(purchase(bad)).toBe(false);
    expect(purchase.errors!.map((e) => e.keyword)).toContain(keyword);
    expect(createPurchasesRequest.safeParse(bad).success).toBe(false);
  });

  it('keeps the enums and required fields of the contract', () => {
    const s = document.components.schemas as Record<string, any>;
    expect(s.VerifyIdentityKeysRequest.required).toEqual(['requestId', 'identityKey', 'storeId', 'authEvent']);
    expect(s.CreatePurchasesRequest.required).toEqual([
      'requestId',
      'idempotentShoppingTripId',
      'storeId',
      'shoppingTrip',
      'cartItems',
    ]);
    const authEvent = s.CreatePurchasesRequest.properties.shoppingTrip.properties.authEvents.items;
    expect(authEvent.properties.scanResult.properties.type.enum).toEqual([
      'SHOPPER',
      'ASSOCIATE',
      'CASH_SHOPPER',
      'LOYALTY',
    ]);
    expect(s.GateRejection.properties.reason.enum).toEqual(expect.arrayContaining(['EXPIRED', 'UNPAID_DEBT']));
  });

  it('compiles every component schema', () => {
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      expect(() => ajv.compile(schema)).not.toThrow();
      expect(name).toBeTruthy();
    }
  });
});

describe('GET /openapi.json', () => {
  it('serves the document unauthenticated, with the configured connector header', async () => {
    const app = express().use(openApiRouter({ connectorAuthHeader: 'x-jwo-key' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
      expect(response.status).toBe(200);
      const served = (await response.json()) as Document;
      expect(served.openapi).toBe('3.1.0');
      expect(served.components.securitySchemes.connectorKey.name).toBe('x-jwo-key');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
