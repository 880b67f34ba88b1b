/**
 * The OpenAPI 3.1 description of this service, generated from the same zod schemas that validate the requests,
 * so the document cannot drift from the validation. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * zod's toJSONSchema emits for target draft-2020-12.
 *
 * Request schemas are converted with io: 'input' (what a caller may send): objects then carry no
 * additionalProperties: false, matching the rule that unknown fields are ignored (jwo-api.md). Response schemas
 * are written here: the handlers build their answers from database rows, without a zod schema of their own.
 *
 * `openapi.json` at the repository root is this document, written by `npm run openapi`; a unit test fails when
 * the two differ. GET /openapi.json serves it, with the configured connector key header.
 */
import {
  deactivateShopperRequest,
  flagShopperRequest,
  shopperActionRequest,
  enrollShopperRequest,
  newStoreRequest,
  operatorEnrollShopperRequest,
  paymentMethodRequest,
  promotionImportRequest,
  promotionImportResult,
  promotionListEntry,
  promotionRequest,
  shopperView,
  setupIntentView,
  storeChangesRequest,
  storeView,
  taxRateRequest,
  taxRateView,
} from './admin/schemas';
import { APP_BACKEND_KEY_HEADER } from './shoppers/enrollmentRouter';
import { SIGN_IN_PATH, signInRequest } from './appBackend';
import { Router } from 'express';
import { z } from 'zod';
import { REJECTION_TEXT } from '../domain/entryDecision';
import { verifyIdentityKeysRequest } from './identityKeys/schema';
import { createPurchasesRequest } from './purchases/schema';
import { issueScanKeyRequest } from './ops/opsRouter';
import { listQuery, replayRequest, resolveRequest } from './ops/purchaseOps';
import {
  archiveListRequest,
  DELTA_CHANGES,
  importRequest,
  ITEM_STATUSES,
  scheduleRequest,
  syncRequest,
  syncSettingsRequest,
  uploadRequest,
} from './catalog/catalogOpsRouter';
import { loadTestRunRequest } from './ops/loadTestOps';
import { READINESS_PATH, readinessReportSchema } from './ops/readinessReport';
import { AUDIT_PATH, auditQuery } from './ops/auditOps';
import { LEDGER_AUDIT_PATH, ledgerAuditQuery, refundRequest } from './ops/paymentOps';

export const OPENAPI_PATH = '/openapi.json';
/** The default of CONNECTOR_AUTH_HEADER; the committed document uses it, the served one the configured header. */
const DEFAULT_CONNECTOR_AUTH_HEADER = 'x-api-key';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as a JSON Schema 2020-12 object fit for components.schemas.
 *
 * Pipes: in input mode zod describes only a pipe's first stage, so `text(1000).pipe(base64())` would lose the
 * Base64 pattern. When both stages are plain (no transform), the second stage's keywords are merged in, and any
 * keyword both define is kept from each through allOf.
 */
export function toSchema(schema: z.ZodType): JsonSchema {
  const options = {
    target: 'draft-2020-12' as const,
    io: 'input' as const,
    unrepresentable: 'any' as const,
    override(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }) {
      const def = ctx.zodSchema._zod.def as { type: string; out?: z.core.$ZodType };
      if (def.type !== 'pipe' || !def.out || def.out._zod.def.type === 'transform') return;
      const out = toSchema(def.out as z.ZodType);
      const clashes: JsonSchema = {};
      for (const [key, value] of Object.entries(out)) {
        if (!(key in ctx.jsonSchema)) ctx.jsonSchema[key] = value;
        else if (JSON.stringify(ctx.jsonSchema[key]) !== JSON.stringify(value)) clashes[key] = value;
      }
      if (Object.keys(clashes).length) ctx.jsonSchema.allOf = [clashes];
    },
  };
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, options) as JsonSchema;
  return rest;
}

// ---- response bodies (documentation of what the handlers answer) ----

const fieldProblem = z.object({
  field: z.string().describe('The request field, as a path: "authEvent.id", "cartItems[2].quantity.value".'),
  reason: z.string().describe('What is wrong with it.'),
});

const errorBody = z
  .object({
    message: z.string(),
    errors: z.array(fieldProblem).optional().describe('One entry per invalid field (400) or conflicting field (409).'),
    reason: z.string().optional().describe('A stable code, on gate rejections (401 from the Identity Connector).'),
  })
  .describe('Every error answer.');

const gateRejection = z
  .object({
    message: z.string(),
    reason: z.enum(Object.keys(REJECTION_TEXT) as [string, ...string[]]),
  })
  .describe('The gate stays closed: the Scan Key Code was refused. Credentials refused give an ErrorBody instead.');

const visitorDetails = z
  .object({
    visitorDetails: z.object({
      id: z.string().describe("The retailer's shopper id; Amazon sends it back in scanResult.id."),
      type: z.enum(['SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER']),
    }),
  })
  .describe('The gate opens.');

const purchaseCreated = z
  .object({ purchaseId: z.string().describe('Empty for an empty cart (its pre-auths are voided).') })
  .describe('The same body for every retry of the same idempotentShoppingTripId.');

const issuedScanKey = z.object({
  code: z.string().describe('The Scan Key Code: what the QR code carries.'),
  shopperId: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
});

const appScanKey = z.object({
  code: z.string(),
  qrSvg: z.string().describe('The code as a QR symbol, an SVG document.'),
  issuedAt: z.string(),
  expiresAt: z.string(),
});

const opsScanKey = issuedScanKey.extend({
  identityKey: z.string().describe('The code Base64-encoded, as Amazon sends it in identityKey.'),
});

const me = z.object({ id: z.string(), name: z.string(), type: z.enum(['SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER']) });
const appSession = z.object({
  sessionToken: z.string().describe('Send it as Authorization: Bearer <sessionToken> on the other /app/v1 calls.'),
  shopperId: z.string(),
  expiresAt: z.string().describe('When the session ends (APP_SESSION_TTL_SECONDS after sign-in): sign in again.'),
});

/** Database rows answered as they are: documented as objects, their columns may grow. */
const record = (description: string) => z.record(z.string(), z.unknown()).describe(description);

const catalogImported = z.object({
  storeId: z.string(),
  imported: z.number().int(),
  rejected: z.array(record('A rejected row: its line number and reasons.')),
});

const catalogUploadStarted = z.object({
  uploadId: z.string(),
  workflowId: z.string(),
  storeId: z.string(),
  retryFailedOf: z.string().optional(),
});

const catalogUploadProgress = z.object({
  uploadId: z.string(),
  workflowStatus: z.string().describe('The Temporal workflow status: RUNNING, COMPLETED, FAILED, …'),
  progress: record('Chunks sent, ingestions and their statuses.'),
});

const catalogUploadReport = z.object({
  uploadId: z.string(),
  storeId: z.string(),
  retryFailedOf: z.string().nullable(),
  status: z.string(),
  summary: z.unknown(),
  items: z.array(record("One item's result: SKU, status, errors.")),
});

const catalogSyncStarted = z.object({
  syncId: z.string(),
  workflowId: z.string(),
  storeId: z.string(),
  dryRun: z.boolean(),
});

const catalogSyncStatus = z.object({
  workflowStatus: z.string().nullable().describe('The Temporal workflow status; null if Temporal no longer has it.'),
  sync: record(
    'The sync: status (RUNNING, COMPLETED, COMPLETED_WITH_FAILURES, FAILED), counts (unchanged, new, changed, retried, removed, rejected, toSend), rejected rows by line, uploadId, sent, uploadSummary, error.',
  ),
});

const catalogSyncDelta = z.object({
  syncId: z.string(),
  items: z.array(
    record('One SKU of the delta: sku, change (NEW, CHANGED, RETRY, REMOVED), item, fields that changed.'),
  ),
});

const catalogSyncList = z.object({ storeId: z.string(), syncs: z.array(record('A sync, newest first.')) });

const catalogArchiveList = z.object({
  storeId: z.string(),
  items: z.array(record('A SKU to archive in the Merchant Portal: sku, itemName, removedAt.')),
});

const catalogSyncSettings = z.object({
  storeId: z.string(),
  fields: z.array(z.string()),
  priceOnReceipts: z.boolean(),
  effective: z.array(z.string()).describe('The fields compared: fields, plus price when priceOnReceipts.'),
});

const catalogSyncSchedule = z.object({
  storeId: z.string(),
  scheduleId: z.string(),
  source: z.string(),
  cron: z.string(),
  paused: z.boolean(),
  note: z.string().nullable(),
  nextRuns: z.array(z.string()),
  lastRuns: z.array(record('A recent run: scheduledAt, workflowId.')),
  skippedOverlapping: z.number().int().describe('Runs skipped because the previous one was still going.'),
});

const catalogSyncSchedules = z.object({ schedules: z.array(catalogSyncSchedule) });
const catalogSyncScheduleDeleted = z.object({ storeId: z.string(), deleted: z.literal(true) });

const replayStarted = z.object({ tripId: z.string(), workflowId: z.string(), runId: z.string() });
const refundLines = z.array(z.object({ lineId: z.string(), quantity: z.string(), amountMinor: z.number().int() }));
const refundResult = z.object({
  refundId: z.string().describe('The request’s key: the same request answers the same refund.'),
  tripId: z.string(),
  status: z
    .enum(['REFUNDED', 'DECLINED', 'PENDING'])
    .describe('PENDING: the gateway’s answer was lost; send the same request again.'),
  amountMinor: z.number().int(),
  refundedMinor: z.number().int(),
  currency: z.string(),
  lines: refundLines,
  declineCode: z.string().nullable(),
  repeated: z.boolean().describe('True when this request was made before: nothing more was refunded.'),
});
const ledgerAuditResult = z.object({
  tripsChecked: z.number().int(),
  clean: z.boolean(),
  violations: z.array(
    z.object({
      kind: z.enum(['TOTAL_MISMATCH', 'AUTHORIZATION_LEFT_OPEN', 'MONEY_MOVED_TWICE', 'OUTCOME_UNKNOWN']),
      tripId: z.string().nullable(),
      detail: z.string(),
    }),
  ),
});
const settled = z.object({ shopperId: z.string(), settled: z.number().int().describe('Debts marked paid.') });

const health = z.object({ status: z.literal('ok') });
const readiness = z.object({
  status: z.enum(['ready', 'not ready']),
  database: z.string().describe('"ok" or "unavailable: <why>"'),
  temporal: z.string().describe('"ok" or "unavailable: <why>"'),
});

// ---- examples (from jwo-api.md test cases 1.1; the unit test validates them against the schemas) ----

export const EXAMPLES = {
  verifyIdentityKeys: {
    requestId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    identityKey: 'dmFsaWRfc2hvcHBlcl9rZXk=',
    storeId: 'STORE-001',
    authEvent: { id: '11111111-2222-3333-4444-555555555555', timestamp: '2024-02-09T17:53:57Z', location: 'ENTRY' },
    keyChannel: 'OPTICAL',
  },
  createPurchases: {
    requestId: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    idempotentShoppingTripId: 'trip-0001',
    storeId: 'STORE-001',
    shoppingTrip: {
      startTime: '2024-03-22T17:00:00Z',
      endTime: '2024-03-22T17:09:39Z',
      authEvents: [
        {
          id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
          timestamp: '2024-03-22T17:00:00Z',
          location: 'ENTRY',
          payloadType: 'SCAN_CODE',
          scanResult: { id: 'shopper-001', type: 'SHOPPER' },
        },
      ],
    },
    cartItems: [{ id: 'SKU-001', type: 'SKU', quantity: { value: '1.0', unit: 'unit' } }],
  },
};

// ---- the document ----

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schemaName: string, description: string, example?: unknown) => ({
  description,
  content: { 'application/json': { schema: ref(schemaName), ...(example === undefined ? {} : { example }) } },
});
const body = (schemaName: string, example?: unknown) => ({
  required: true,
  content: { 'application/json': { schema: ref(schemaName), ...(example === undefined ? {} : { example }) } },
});
const error = (description: string) => json('ErrorBody', description);
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});

/** Query parameters from a zod object schema, one per property. */
function queryParams(schema: z.ZodType): object[] {
  const js = toSchema(schema) as { properties: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

const BAD_REQUEST = error('Invalid request: every invalid field is named in errors.');
const OPERATOR_UNAUTHORIZED = error('Missing or wrong operator key or token.');
const OPERATOR_FORBIDDEN = error("The operator's role is below the one this route needs; the message names it.");
const APP_UNAUTHORIZED = error(
  'No session, or an expired or invalid one (an app token is no session): sign in again with POST /app/v1/sessions.',
);
const auditEntries = z.object({
  entries: z.array(
    z.object({
      entryId: z.number(),
      at: z.string(),
      actor: z.object({ name: z.string(), role: z.string().nullable() }),
      action: z.string().describe('A dotted verb: badcart.resolve, purchase.replay, shopper.settle, catalog.upload, …'),
      subject: z.object({ type: z.string(), id: z.string() }),
      reason: z.string().nullable(),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
});
const NOT_FOUND = error('No such resource.');

const operator = [{ operatorKey: [] }, { keyAsBearer: [] }];
const noAuth: object[] = [];

export interface OpenApiOptions {
  /** The header Amazon's calls carry the connector key in (CONNECTOR_AUTH_HEADER). */
  connectorAuthHeader?: string;
}

/** Pure: the same options give the same document. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): object {
  const connectorHeader = options.connectorAuthHeader ?? DEFAULT_CONNECTOR_AUTH_HEADER;
  const connector = [{ connectorKey: [] }, { keyAsBearer: [] }];
  const appUser = [{ appSession: [] }];

  const schemas: Record<string, JsonSchema> = {
    VerifyIdentityKeysRequest: toSchema(verifyIdentityKeysRequest),
    VisitorDetails: toSchema(visitorDetails),
    GateRejection: toSchema(gateRejection),
    CreatePurchasesRequest: toSchema(createPurchasesRequest),
    PurchaseCreated: toSchema(purchaseCreated),
    ErrorBody: toSchema(errorBody),
    SignInRequest: toSchema(signInRequest),
    AppSession: toSchema(appSession),
    Me: toSchema(me),
    AppScanKey: toSchema(appScanKey),
    IssueScanKeyRequest: toSchema(issueScanKeyRequest),
    OpsScanKey: toSchema(opsScanKey),
    ResolveBadCartRequest: toSchema(resolveRequest),
    ReplayPurchaseRequest: toSchema(replayRequest),
    ReplayStarted: toSchema(replayStarted),
    RefundRequest: toSchema(refundRequest),
    Refund: toSchema(refundResult),
    LedgerAudit: toSchema(ledgerAuditResult),
    Settled: toSchema(settled),
    CatalogImportRequest: toSchema(importRequest),
    CatalogImported: toSchema(catalogImported),
    CatalogUploadRequest: toSchema(uploadRequest),
    CatalogUploadStarted: toSchema(catalogUploadStarted),
    CatalogUploadProgress: toSchema(catalogUploadProgress),
    CatalogUploadReport: toSchema(catalogUploadReport),
    CatalogSyncRequest: toSchema(syncRequest),
    CatalogSyncStarted: toSchema(catalogSyncStarted),
    CatalogSyncStatus: toSchema(catalogSyncStatus),
    CatalogSyncDelta: toSchema(catalogSyncDelta),
    CatalogSyncList: toSchema(catalogSyncList),
    CatalogArchiveListRequest: toSchema(archiveListRequest),
    CatalogArchiveList: toSchema(catalogArchiveList),
    CatalogSyncSettingsRequest: toSchema(syncSettingsRequest),
    CatalogSyncSettings: toSchema(catalogSyncSettings),
    CatalogSyncScheduleRequest: toSchema(scheduleRequest),
    CatalogSyncSchedule: toSchema(catalogSyncSchedule),
    CatalogSyncSchedules: toSchema(catalogSyncSchedules),
    CatalogSyncScheduleDeleted: toSchema(catalogSyncScheduleDeleted),
    LoadTestRunRequest: toSchema(loadTestRunRequest),
    ReadinessReport: toSchema(readinessReportSchema),
    AuditEntries: toSchema(auditEntries),
    Record: toSchema(record('A database record; unknown fields may be added.')),
    RecordList: toSchema(z.array(record('A database record; unknown fields may be added.'))),
    Health: toSchema(health),
    Readiness: toSchema(readiness),
    NewStoreRequest: toSchema(newStoreRequest),
    StoreChangesRequest: toSchema(storeChangesRequest),
    Store: toSchema(storeView),
    StoreList: toSchema(z.array(storeView)),
    TaxRateRequest: toSchema(taxRateRequest),
    TaxRates: toSchema(z.array(taxRateView)),
    PromotionRequest: toSchema(promotionRequest),
    PromotionAdded: toSchema(
      z.object({
        promotion: record('The promotion as stored.'),
        state: z.enum(['SCHEDULED', 'ACTIVE', 'ENDED']),
        missingSkus: z.array(z.string()).describe('SKUs it names that the catalog does not hold (yet).'),
      }),
    ),
    PromotionList: toSchema(z.array(promotionListEntry)),
    PromotionImportRequest: toSchema(promotionImportRequest),
    PromotionImportResult: toSchema(promotionImportResult),
    EnrollShopperRequest: toSchema(enrollShopperRequest),
    OperatorEnrollShopperRequest: toSchema(operatorEnrollShopperRequest),
    PaymentMethodRequest: toSchema(paymentMethodRequest),
    DeactivateShopperRequest: toSchema(deactivateShopperRequest),
    FlagShopperRequest: toSchema(flagShopperRequest),
    ShopperActionRequest: toSchema(shopperActionRequest),
    CodesRevoked: toSchema(
      z.object({ shopperId: z.string(), revoked: z.number().int().describe('Unused Scan Key Codes revoked.') }),
    ),
    Shopper: toSchema(shopperView),
    SetupIntent: toSchema(setupIntentView),
  };

  const paths = {
    '/v1/identity/identity-keys': {
      post: {
        operationId: 'verifyIdentityKeys',
        tags: ['Identity Connector'],
        summary: 'Decide at the gate whether a scanned Scan Key Code lets the shopper in (Amazon calls it).',
        description:
          'Idempotent per authEvent.id: every retry gets the first decision. Answered within GATE_DEADLINE_MS, ' +
          'else 500 (the gate follows the store default).',
        security: connector,
        requestBody: body('VerifyIdentityKeysRequest', EXAMPLES.verifyIdentityKeys),
        responses: {
          '200': json('VisitorDetails', 'Authorized: the gate opens.', {
            visitorDetails: { id: 'shopper-001', type: 'SHOPPER' },
          }),
          '400': BAD_REQUEST,
          '401': {
            description: 'Refused: the gate stays closed (GateRejection), or the caller key is missing or wrong.',
            // anyOf: a gate rejection is also a valid ErrorBody, so oneOf would reject it for matching both.
            content: { 'application/json': { schema: { anyOf: [ref('GateRejection'), ref('ErrorBody')] } } },
          },
          '429': error('Too many gate requests for this store.'),
          '500': error('No decision within the deadline, or an internal error: the store default applies.'),
        },
      },
    },
    '/v1/order/purchases': {
      post: {
        operationId: 'createPurchases',
        tags: ['Ordering Connector'],
        summary: 'Receive the cart after the shopper left; answer its purchaseId (Amazon calls it).',
        description:
          'Idempotent per idempotentShoppingTripId: a retry gets the same 201 body. Pricing, capture and receipt ' +
          'follow asynchronously; unknown SKUs park the cart for bad-cart review.',
        security: connector,
        requestBody: body('CreatePurchasesRequest', EXAMPLES.createPurchases),
        responses: {
          '201': json('PurchaseCreated', 'Recorded.', { purchaseId: 'P-6f1c2a9e-0b7d-4a53-9c1e-2d8f3b4a5c6d' }),
          '400': BAD_REQUEST,
          '401': error('The caller key is missing or wrong.'),
          '409': error('The idempotentShoppingTripId was already used for a different cart.'),
          '500': error('Internal error or no answer within the deadline: retry the same request.'),
        },
      },
    },
    [SIGN_IN_PATH]: {
      post: {
        operationId: 'signIn',
        tags: ['App'],
        summary: "Sign a shopper in with their app token: a short-lived session for the app's other calls.",
        description:
          'The session is signed (APP_SESSION_SECRETS), not stored, and lasts APP_SESSION_TTL_SECONDS; sign in ' +
          'again when a call answers 401. Failed sign-ins are limited per client address: after 10 in 5 minutes ' +
          'every sign-in from it is a 429 until the 5 minutes have passed; successful ones are not counted.',
        security: noAuth,
        requestBody: body('SignInRequest', { appToken: 'demo-alice' }),
        responses: {
          '201': json('AppSession', 'Signed in.'),
          '400': BAD_REQUEST,
          '401': error('Unknown app token, or a demo app token outside demo mode.'),
          '429': {
            ...error('Too many failed sign-ins from this address.'),
            headers: {
              'Retry-After': { description: 'Seconds until sign-in is accepted again.', schema: { type: 'integer' } },
            },
          },
        },
      },
    },
    '/app/v1/me': {
      get: {
        operationId: 'getMe',
        tags: ['App'],
        summary: 'The signed-in shopper.',
        security: appUser,
        responses: { '200': json('Me', 'The shopper.'), '401': APP_UNAUTHORIZED },
      },
    },
    '/app/v1/scan-keys': {
      post: {
        operationId: 'issueAppScanKey',
        tags: ['App'],
        summary: 'A fresh Scan Key Code and its QR symbol for the signed-in shopper.',
        security: appUser,
        responses: {
          '201': json('AppScanKey', 'Issued.'),
          '401': APP_UNAUTHORIZED,
          '403': error('The gate would turn this shopper away (e.g. unpaid balance): no code.'),
          '404': error('Unknown shopper.'),
        },
      },
    },
    '/ops/v1/scan-keys': {
      post: {
        operationId: 'issueScanKey',
        tags: ['Operator'],
        summary: 'Issue a Scan Key Code for a shopper by hand (`jwo scan-key issue`).',
        security: operator,
        requestBody: body('IssueScanKeyRequest', { shopperId: 'shopper-001' }),
        responses: {
          '201': json('OpsScanKey', 'Issued.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '403': error(
            'The gate would turn this shopper away: no code; or the role is below admin; or DEMO_MODE is off (operators mint codes in demo mode only).',
          ),
          '404': error('Unknown shopper.'),
        },
      },
    },
    '/v1/purchases/{purchaseId}': {
      get: {
        operationId: 'getPurchase',
        tags: ['Operator'],
        summary: 'A purchase and its itemized receipt.',
        security: operator,
        parameters: [pathParam('purchaseId', 'A purchaseId or an idempotentShoppingTripId.')],
        responses: { '200': json('Record', 'The purchase.'), '401': OPERATOR_UNAUTHORIZED, '404': NOT_FOUND },
      },
    },
    '/ops/v1/purchases': {
      get: {
        operationId: 'listPurchases',
        tags: ['Operator'],
        summary: 'Find purchases (`jwo purchases list`).',
        security: operator,
        parameters: queryParams(listQuery),
        responses: {
          '200': json('RecordList', 'Matching purchases.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
        },
      },
    },
    '/ops/v1/purchases/{id}': {
      get: {
        operationId: 'showPurchase',
        tags: ['Operator'],
        summary: 'One purchase with its payment ledger and workflow address (`jwo purchases show`).',
        security: operator,
        parameters: [pathParam('id', 'A trip id or a purchaseId.')],
        responses: { '200': json('Record', 'The purchase.'), '401': OPERATOR_UNAUTHORIZED, '404': NOT_FOUND },
      },
    },
    '/ops/v1/purchases/{tripId}/replay': {
      post: {
        operationId: 'replayPurchase',
        tags: ['Operator'],
        summary: 'Re-run a FAILED purchase; payments reuse their idempotency keys, so nothing is charged twice.',
        security: operator,
        parameters: [pathParam('tripId', 'The idempotentShoppingTripId.')],
        description: 'Role operator. Made under the name of the credential; a body is not needed.',
        requestBody: { ...body('ReplayPurchaseRequest', {}), required: false },
        responses: {
          '202': json('ReplayStarted', 'Replay started.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '403': OPERATOR_FORBIDDEN,
          '404': NOT_FOUND,
          '409': error('The purchase is not in a state that can be replayed.'),
        },
      },
    },
    '/ops/v1/purchases/{tripId}/refunds': {
      post: {
        operationId: 'refundPurchase',
        tags: ['Operator'],
        summary:
          'Refund lines, an amount, or the whole purchase through the payment gateway (`jwo purchases refund`); the same request refunds once.',
        security: operator,
        parameters: [pathParam('tripId', 'The idempotentShoppingTripId or the purchaseId.')],
        description:
          'Role operator. Never more than was captured and not yet refunded; recorded on the receipt, in the payment ledger and in the audit log.',
        requestBody: body('RefundRequest', { lines: [{ lineId: 'line-1', quantity: '1' }], reason: 'damaged item' }),
        responses: {
          '201': json('Refund', 'Refunded (or declined by the gateway).'),
          '200': json('Refund', 'The same request was made before: its refund, nothing more refunded.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '403': OPERATOR_FORBIDDEN,
          '404': NOT_FOUND,
          '409': error('Nothing was captured, or the refund is more than what is left to refund.'),
        },
      },
    },
    '/ops/v1/badcarts': {
      get: {
        operationId: 'listBadCarts',
        tags: ['Operator'],
        summary: 'Bad carts waiting for (or past) an operator decision.',
        security: operator,
        parameters: [
          {
            name: 'status',
            in: 'query',
            required: false,
            schema: { type: 'string', enum: ['OPEN', 'RESOLVED', 'ALL'], default: 'OPEN' },
          },
        ],
        responses: { '200': json('RecordList', 'Bad carts.'), '400': BAD_REQUEST, '401': OPERATOR_UNAUTHORIZED },
      },
    },
    '/ops/v1/badcarts/{tripId}/resolve': {
      post: {
        operationId: 'resolveBadCart',
        tags: ['Operator'],
        summary: 'Decide a bad cart: CHARGE_KNOWN, CORRECT (with corrections) or WRITE_OFF.',
        security: operator,
        parameters: [pathParam('tripId', 'The idempotentShoppingTripId.')],
        description: 'Role operator. Decided under the name of the credential (a body `operator` is ignored).',
        requestBody: body('ResolveBadCartRequest', { decision: 'WRITE_OFF', note: 'sample item' }),
        responses: {
          '200': json('Record', "The purchase's progress after the decision."),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
          '409': error('The cart is not waiting for a decision.'),
        },
      },
    },
    '/ops/v1/shoppers/{shopperId}/settle': {
      post: {
        operationId: 'settleDebts',
        tags: ['Operator'],
        summary: "Mark the shopper's debts paid: the gate lets them in again.",
        security: operator,
        description: 'Role operator. Recorded in the audit log.',
        parameters: [pathParam('shopperId', 'The shopper.')],
        responses: { '200': json('Settled', 'Settled.'), '401': OPERATOR_UNAUTHORIZED, '403': OPERATOR_FORBIDDEN },
      },
    },
    '/ops/v1/catalog/imports': {
      post: {
        operationId: 'importCatalog',
        tags: ['Operator', 'Catalog'],
        summary: 'Validate and store a catalog file (`jwo catalog import`); up to 64 MB.',
        security: operator,
        requestBody: body('CatalogImportRequest'),
        responses: {
          '200': json('CatalogImported', 'Stored; rejected rows listed with their line numbers.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': error('Unknown store.'),
          '413': error('The file is larger than the limit.'),
        },
      },
    },
    '/ops/v1/catalog/uploads': {
      post: {
        operationId: 'startCatalogUpload',
        tags: ['Operator', 'Catalog'],
        summary: "Upload the store's catalog to Amazon (`jwo catalog upload`), or retry the failed items of one.",
        security: operator,
        requestBody: body('CatalogUploadRequest', { storeId: 'STORE-001' }),
        responses: {
          '202': json('CatalogUploadStarted', 'Upload started.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/uploads/{uploadId}': {
      get: {
        operationId: 'getCatalogUpload',
        tags: ['Operator', 'Catalog'],
        summary: 'Progress of a catalog upload.',
        security: operator,
        parameters: [pathParam('uploadId', 'The upload.')],
        responses: {
          '200': json('CatalogUploadProgress', 'Progress.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/uploads/{uploadId}/report': {
      get: {
        operationId: 'getCatalogUploadReport',
        tags: ['Operator', 'Catalog'],
        summary: 'Per-item results of a catalog upload (`jwo catalog report`).',
        security: operator,
        parameters: [
          pathParam('uploadId', 'The upload.'),
          { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: [...ITEM_STATUSES] } },
        ],
        responses: {
          '200': json('CatalogUploadReport', 'The report.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/syncs': {
      post: {
        operationId: 'startCatalogSync',
        tags: ['Operator', 'Catalog'],
        summary:
          'Send Amazon only what changed since it last accepted the catalog (`jwo catalog sync`): new SKUs, changed relevant fields, items that failed last time.',
        description:
          'Give the file (content and format, as for an import; up to 64 MB) or a source (http(s) URL or a path the worker reads). ' +
          'With dryRun the delta is computed and recorded, nothing is sent.',
        security: operator,
        requestBody: body('CatalogSyncRequest', {
          storeId: 'STORE-001',
          source: 'https://retailer.example/catalog.csv',
        }),
        responses: {
          '202': json('CatalogSyncStarted', 'Sync started.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': error('Unknown store.'),
          '409': error('A sync of the store is still running.'),
          '413': error('The file is larger than the limit.'),
        },
      },
    },
    '/ops/v1/catalog/syncs/{syncId}': {
      get: {
        operationId: 'getCatalogSync',
        tags: ['Operator', 'Catalog'],
        summary: 'A catalog sync: its delta counts, rejected rows, upload and outcome.',
        security: operator,
        parameters: [pathParam('syncId', 'The sync.')],
        responses: {
          '200': json('CatalogSyncStatus', 'The sync.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/syncs/{syncId}/delta': {
      get: {
        operationId: 'getCatalogSyncDelta',
        tags: ['Operator', 'Catalog'],
        summary: "A sync's delta, SKU by SKU (what `jwo catalog sync --dry-run` prints).",
        security: operator,
        parameters: [
          pathParam('syncId', 'The sync.'),
          { name: 'change', in: 'query', required: false, schema: { type: 'string', enum: [...DELTA_CHANGES] } },
        ],
        responses: {
          '200': json('CatalogSyncDelta', 'The delta.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/stores/{storeId}/syncs': {
      get: {
        operationId: 'listCatalogSyncs',
        tags: ['Operator', 'Catalog'],
        summary: "The store's last 100 catalog syncs, newest first.",
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        responses: {
          '200': json('CatalogSyncList', 'The syncs.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/stores/{storeId}/archive-list': {
      post: {
        operationId: 'takeCatalogArchiveList',
        tags: ['Operator', 'Catalog'],
        summary:
          'The SKUs Amazon holds that left the source, for the Merchant Portal catalog template (`jwo catalog archive-list`).',
        description:
          'Amazon documents archiving through the Merchant Portal, not the API. With markArchived the SKUs leave the baseline.',
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        requestBody: body('CatalogArchiveListRequest', { markArchived: true }),
        responses: {
          '200': json('CatalogArchiveList', 'The SKUs to archive.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/stores/{storeId}/sync-settings': {
      get: {
        operationId: 'getCatalogSyncSettings',
        tags: ['Operator', 'Catalog'],
        summary: 'Which fields make a SKU worth sending again (`jwo catalog sync-settings`).',
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        responses: {
          '200': json('CatalogSyncSettings', 'The settings.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
      post: {
        operationId: 'setCatalogSyncSettings',
        tags: ['Operator', 'Catalog'],
        summary: 'Set the relevant fields, or whether price changes are sent (Amazon receipts show prices).',
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        requestBody: body('CatalogSyncSettingsRequest', { priceOnReceipts: true }),
        responses: {
          '200': json('CatalogSyncSettings', 'The settings now.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/schedules': {
      get: {
        operationId: 'listCatalogSyncSchedules',
        tags: ['Operator', 'Catalog'],
        summary: 'The stores whose catalog sync runs on a Temporal Schedule (`jwo catalog schedule --list`).',
        security: operator,
        responses: { '200': json('CatalogSyncSchedules', 'The schedules.'), '401': OPERATOR_UNAUTHORIZED },
      },
      post: {
        operationId: 'scheduleCatalogSync',
        tags: ['Operator', 'Catalog'],
        summary:
          "Run the store's catalog sync on a Temporal Schedule catalog-sync-<storeId> (a run is skipped while the previous one still goes); replaces an existing one.",
        security: operator,
        requestBody: body('CatalogSyncScheduleRequest', {
          storeId: 'STORE-001',
          source: 'https://retailer.example/catalog.csv',
          cron: '0 5 * * *',
        }),
        responses: {
          '201': json('CatalogSyncSchedule', 'The schedule.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '404': error('Unknown store.'),
        },
      },
    },
    '/ops/v1/catalog/schedules/{storeId}/pause': {
      post: {
        operationId: 'pauseCatalogSyncSchedule',
        tags: ['Operator', 'Catalog'],
        summary: "Pause the store's catalog sync schedule.",
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        responses: {
          '200': json('CatalogSyncSchedule', 'The schedule.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/schedules/{storeId}/unpause': {
      post: {
        operationId: 'unpauseCatalogSyncSchedule',
        tags: ['Operator', 'Catalog'],
        summary: "Resume the store's catalog sync schedule.",
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        responses: {
          '200': json('CatalogSyncSchedule', 'The schedule.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/catalog/schedules/{storeId}/delete': {
      post: {
        operationId: 'deleteCatalogSyncSchedule',
        tags: ['Operator', 'Catalog'],
        summary: "Delete the store's catalog sync schedule.",
        security: operator,
        parameters: [pathParam('storeId', 'The store.')],
        responses: {
          '200': json('CatalogSyncScheduleDeleted', 'Deleted.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': NOT_FOUND,
        },
      },
    },
    '/ops/v1/loadtests': {
      post: {
        operationId: 'recordLoadTest',
        tags: ['Operator'],
        summary: 'Record a `jwo loadtest` result (read by `jwo checklist --live`).',
        security: operator,
        requestBody: body('LoadTestRunRequest'),
        responses: { '201': json('Record', 'Recorded.'), '400': BAD_REQUEST, '401': OPERATOR_UNAUTHORIZED },
      },
    },
    '/ops/v1/loadtests/latest': {
      get: {
        operationId: 'latestLoadTest',
        tags: ['Operator'],
        summary: 'The last recorded load test.',
        security: operator,
        responses: {
          '200': json('Record', 'The run.'),
          '401': OPERATOR_UNAUTHORIZED,
          '404': error('No load test recorded yet.'),
        },
      },
    },
    [READINESS_PATH]: {
      get: {
        operationId: 'readiness',
        tags: ['Operator'],
        summary: 'What the live readiness checklist cannot see over plain HTTP.',
        security: operator,
        responses: { '200': json('ReadinessReport', 'The report.'), '401': OPERATOR_UNAUTHORIZED },
      },
    },
    [LEDGER_AUDIT_PATH]: {
      get: {
        operationId: 'auditLedger',
        tags: ['Operator'],
        summary:
          'The ledger audit (`jwo ledger audit`): totals against receipts, pre-auths left open, money moved twice, calls without an answer. Role viewer.',
        security: operator,
        parameters: queryParams(ledgerAuditQuery),
        responses: {
          '200': json('LedgerAudit', 'The violations found (none: clean).'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '403': OPERATOR_FORBIDDEN,
        },
      },
    },
    [AUDIT_PATH]: {
      get: {
        operationId: 'listAudit',
        tags: ['Operator'],
        summary: 'The audit log, newest first (`jwo audit list`). Role viewer.',
        security: operator,
        parameters: queryParams(auditQuery),
        responses: {
          '200': json('AuditEntries', 'Matching entries.'),
          '400': BAD_REQUEST,
          '401': OPERATOR_UNAUTHORIZED,
          '403': OPERATOR_FORBIDDEN,
        },
      },
    },
    ...storeAdminPaths(),
    ...enrollmentPaths(),
    '/healthz': {
      get: {
        operationId: 'healthz',
        tags: ['Health'],
        summary: 'The process is up.',
        security: noAuth,
        responses: { '200': json('Health', 'Up.') },
      },
    },
    '/readyz': {
      get: {
        operationId: 'readyz',
        tags: ['Health'],
        summary: 'The database and Temporal answer.',
        security: noAuth,
        responses: { '200': json('Readiness', 'Ready.'), '503': json('Readiness', 'Not ready; says what is not.') },
      },
    },
    '/metrics': {
      get: {
        operationId: 'metrics',
        tags: ['Health'],
        summary: 'Prometheus metrics.',
        security: noAuth,
        responses: { '200': { description: 'Prometheus text format.', content: { 'text/plain': {} } } },
      },
    },
    [OPENAPI_PATH]: {
      get: {
        operationId: 'openapi',
        tags: ['Health'],
        summary: 'This document.',
        security: noAuth,
        responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': {} } } },
      },
    },
  };

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'JWO app-entry connector',
      version: '0.1.0',
      description:
        'The retailer side of an Amazon Just Walk Out app-entry store: the Identity and Ordering connectors Amazon ' +
        'calls, the app backend, and the operator API. Request bodies ignore unknown fields. Generated from the zod ' +
        'schemas (src/api/openapi.ts); regenerate openapi.json with `npm run openapi`.',
    },
    tags: [
      { name: 'Identity Connector' },
      { name: 'Ordering Connector' },
      { name: 'App' },
      { name: 'App backend' },
      { name: 'Stores' },
      { name: 'Operator' },
      { name: 'Catalog' },
      { name: 'Health' },
    ],
    paths,
    components: {
      schemas,
      securitySchemes: {
        connectorKey: {
          type: 'apiKey',
          in: 'header',
          name: connectorHeader,
          description:
            'The connector key configured for Amazon (CONNECTOR_API_KEYS); the header is set by CONNECTOR_AUTH_HEADER.',
        },
        operatorKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-operator-key',
          description:
            "An operator's key (OPERATOR_KEYS: name, role and key; or the deprecated OPERATOR_API_KEYS, role admin). Each operation names the role it needs: viewer reads, operator acts on purchases and debts, admin changes stores, shoppers, keys and the catalog.",
        },
        keyAsBearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "The connector or operator key sent as Authorization: Bearer <key> instead of its header; or, for the operator API, a token of the retailer's identity provider (OPERATOR_OIDC_ISSUER), its role in OPERATOR_OIDC_ROLE_CLAIM.",
        },
        appBackendKey: {
          type: 'apiKey',
          in: 'header',
          name: APP_BACKEND_KEY_HEADER,
          description: "The retailer's app backend key (APP_BACKEND_KEYS), for shopper enrollment.",
        },
        appSession: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A shopper's session from POST /app/v1/sessions (Authorization: Bearer <sessionToken>); the app token itself is sent only to sign in.",
        },
      },
    },
  };
}

const FORBIDDEN = error('The operator role is too weak for this (viewer reads, admin changes).');
const storeParam = pathParam('storeId', "Amazon's store id");

/** The store admin API (`jwo stores|taxes|promotions|shoppers`): viewer reads, admin changes. */
function storeAdminPaths(): Record<string, object> {
  const op = (
    operationId: string,
    summary: string,
    responses: Record<string, object>,
    extra: Record<string, unknown> = {},
  ) => ({
    operationId,
    tags: ['Stores'],
    summary,
    security: operator,
    ...extra,
    responses: { ...responses, '401': OPERATOR_UNAUTHORIZED, '403': FORBIDDEN },
  });
  return {
    '/ops/v1/stores': {
      get: op('listStores', 'Every store (viewer).', { '200': json('StoreList', 'The stores.') }),
      post: op(
        'createStore',
        'Create a store; not live (the gate answers it as unknown) until updated with live: true (admin).',
        { '201': json('Store', 'Created.'), '400': BAD_REQUEST, '409': error('The store exists: update it.') },
        { requestBody: body('NewStoreRequest') },
      ),
    },
    '/ops/v1/stores/{storeId}': {
      get: op(
        'showStore',
        'One store (viewer).',
        { '200': json('Store', 'The store.'), '404': NOT_FOUND },
        {
          parameters: [storeParam],
        },
      ),
      patch: op(
        'updateStore',
        'Change settings; seen by the gate at once on this replica, within 30 s on the others (admin).',
        { '200': json('Store', 'Changed.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [storeParam], requestBody: body('StoreChangesRequest', { live: true }) },
      ),
    },
    '/ops/v1/stores/{storeId}/tax-rates': {
      get: op(
        'listTaxRates',
        'Every tax rate, current and scheduled (viewer).',
        {
          '200': json('TaxRates', 'The rates.'),
          '404': NOT_FOUND,
        },
        { parameters: [storeParam] },
      ),
    },
    '/ops/v1/stores/{storeId}/tax-rates/{taxCode}': {
      put: op(
        'setTaxRate',
        'Set the rate of a tax code from effectiveFrom on (admin).',
        { '200': json('TaxRates', "The code's rates."), '400': BAD_REQUEST, '404': NOT_FOUND },
        {
          parameters: [storeParam, pathParam('taxCode', 'The tax code items carry')],
          requestBody: body('TaxRateRequest', { rateBasisPoints: 1300, name: 'HST' }),
        },
      ),
    },
    '/ops/v1/stores/{storeId}/promotions': {
      get: op(
        'listPromotions',
        'Promotions with their state now (viewer).',
        {
          '200': json('PromotionList', 'The promotions.'),
          '404': NOT_FOUND,
        },
        { parameters: [storeParam] },
      ),
      post: op(
        'addPromotion',
        'Add a promotion; one that would never apply (no SKU in the catalog, ending before it starts or before now) is refused (admin).',
        {
          '201': json('PromotionAdded', 'Added (or the same definition was already there).'),
          '400': BAD_REQUEST,
          '404': NOT_FOUND,
          '409': error('The id exists with another definition: end it and add a new id.'),
        },
        { parameters: [storeParam], requestBody: body('PromotionRequest') },
      ),
    },
    '/ops/v1/stores/{storeId}/promotions/imports': {
      post: op(
        'importPromotions',
        'Import a POS export (JSON or CSV): valid rows are added, refused rows reported with line and reason (admin).',
        { '200': json('PromotionImportResult', 'Imported.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [storeParam], requestBody: body('PromotionImportRequest') },
      ),
    },
    '/ops/v1/stores/{storeId}/promotions/{promotionId}/end': {
      post: op(
        'endPromotion',
        'End a promotion now; receipts already made keep naming it (admin).',
        { '200': json('Record', 'The promotion as ended.'), '404': NOT_FOUND, '409': error('Already ended.') },
        { parameters: [storeParam, pathParam('promotionId', 'The promotion id')] },
      ),
    },
    '/ops/v1/shoppers': {
      post: op(
        'enrollShopperAsOperator',
        'Enroll a shopper (support staff, admin); a retry of the same enrollment answers 200.',
        {
          '200': json('Shopper', 'Already enrolled the same way.'),
          '201': json('Shopper', 'Enrolled.'),
          '400': BAD_REQUEST,
          '409': error('The id is taken by another shopper.'),
        },
        { requestBody: body('OperatorEnrollShopperRequest') },
      ),
    },
    '/ops/v1/shoppers/{shopperId}': {
      get: op(
        'showShopper',
        'One shopper (viewer).',
        { '200': json('Shopper', 'The shopper.'), '404': NOT_FOUND },
        {
          parameters: [pathParam('shopperId', 'The shopper id')],
        },
      ),
    },
    '/ops/v1/shoppers/{shopperId}/deactivate': {
      post: op(
        'deactivateShopperAsOperator',
        'Close the account: the gate turns the shopper away (admin).',
        { '200': json('Shopper', 'Deactivated.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [pathParam('shopperId', 'The shopper id')] },
      ),
    },
    '/ops/v1/shoppers/{shopperId}/flag': {
      post: op(
        'flagShopper',
        'Flag the account: the gate answers ACCOUNT_FLAGGED and no code is issued (operator; audited).',
        { '200': json('Shopper', 'Flagged.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        {
          parameters: [pathParam('shopperId', 'The shopper id')],
          requestBody: body('FlagShopperRequest', { reason: 'chargeback fraud' }),
        },
      ),
    },
    '/ops/v1/shoppers/{shopperId}/unflag': {
      post: op(
        'unflagShopper',
        'Clear the flag (operator; audited).',
        { '200': json('Shopper', 'Unflagged.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [pathParam('shopperId', 'The shopper id')], requestBody: body('ShopperActionRequest') },
      ),
    },
    '/ops/v1/shoppers/{shopperId}/revoke-codes': {
      post: op(
        'revokeShopperCodes',
        "Revoke the shopper's unused Scan Key Codes: the gate answers TOKEN_REVOKED (operator; audited).",
        { '200': json('CodesRevoked', 'Revoked.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [pathParam('shopperId', 'The shopper id')], requestBody: body('ShopperActionRequest') },
      ),
    },
  };
}

/** Shopper enrollment for the retailer's app backend (its own key). */
function enrollmentPaths(): Record<string, object> {
  const security = [{ appBackendKey: [] }];
  const shopperParam = pathParam('shopperId', 'The shopper id');
  const op = (operationId: string, summary: string, responses: Record<string, object>, extra: object = {}) => ({
    operationId,
    tags: ['App backend'],
    summary,
    security,
    ...extra,
    responses: { ...responses, '401': error('Missing or wrong app backend key.') },
  });
  return {
    '/app-backend/v1/shoppers': {
      post: op(
        'enrollShopper',
        'Enroll a shopper; a retry of the same enrollment answers 200.',
        {
          '200': json('Shopper', 'Already enrolled the same way.'),
          '201': json('Shopper', 'Enrolled.'),
          '400': BAD_REQUEST,
          '409': error('The id is taken by another shopper.'),
        },
        { requestBody: body('EnrollShopperRequest') },
      ),
    },
    '/app-backend/v1/shoppers/{shopperId}': {
      get: op(
        'getShopper',
        'The shopper.',
        { '200': json('Shopper', 'The shopper.'), '404': NOT_FOUND },
        {
          parameters: [shopperParam],
        },
      ),
    },
    '/app-backend/v1/shoppers/{shopperId}/payment-method': {
      put: op(
        'attachPaymentMethod',
        'Attach or replace the payment method the way the gateway does it: the simulator, a TEST_TOKEN; Stripe, a confirmed STRIPE_SETUP_INTENT (the connector reads its PaymentMethod from Stripe and keeps its id). The other gateway’s type is refused (400). Never a card number.',
        {
          '200': json('Shopper', 'Attached.'),
          '400': BAD_REQUEST,
          '404': NOT_FOUND,
          '409': error('The shopper is deactivated, or the SetupIntent is not confirmed yet.'),
          '503': error('Stripe could not be reached; retry.'),
        },
        {
          parameters: [shopperParam],
          requestBody: body('PaymentMethodRequest', { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2030-12' }),
        },
      ),
      delete: op(
        'removePaymentMethod',
        'Remove the payment method (the gate then turns the shopper away).',
        { '200': json('Shopper', 'Removed.'), '404': NOT_FOUND, '409': error('No payment method to remove.') },
        { parameters: [shopperParam] },
      ),
    },
    '/app-backend/v1/shoppers/{shopperId}/payment-method/setup-intents': {
      post: op(
        'createSetupIntent',
        'PAYMENT_GATEWAY=stripe: create (once) the shopper’s Stripe Customer and a SetupIntent (usage off_session) for the app to confirm with Stripe’s SDK; then attach it with PUT …/payment-method.',
        {
          '201': json('SetupIntent', 'Created; confirm its client secret in the app.'),
          '404': NOT_FOUND,
          '409': error('The gateway is not Stripe, or the shopper is deactivated.'),
          '503': error('Stripe could not be reached; retry.'),
        },
        { parameters: [shopperParam] },
      ),
    },
    '/app-backend/v1/shoppers/{shopperId}/deactivate': {
      post: op(
        'deactivateShopper',
        'Close the account: the gate turns the shopper away; repeating it changes nothing.',
        { '200': json('Shopper', 'Deactivated.'), '400': BAD_REQUEST, '404': NOT_FOUND },
        { parameters: [shopperParam] },
      ),
    },
  };
}

/** The bytes of openapi.json: one formatting, so the committed file and the generated one compare as text. */
export function serializeOpenApi(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** GET /openapi.json, unauthenticated; built once, with the configured connector key header. */
export function openApiRouter(options: OpenApiOptions = {}): Router {
  const router = Router();
  let document: object | undefined;
  router.get(OPENAPI_PATH, (_req, res) => {
    document ??= buildOpenApiDocument(options);
    res.json(document);
  });
  return router;
}
