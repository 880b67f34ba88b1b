/**
 * Request schemas of the store admin API and the app backend's shopper enrollment API: types and
 * lengths here, the rules (time zones, currencies, promotions that would never apply) in the use
 * cases, so the CLI, the seed and the API refuse the same things with the same reasons.
 */
import { z } from 'zod';
import { isoTimestamp, string, text } from '../validation';

const id = () => text(255).regex(/^[A-Za-z0-9._:-]+$/, 'may hold letters, digits and . _ : - only');
const decision = z.enum(['CHARGE_KNOWN', 'WRITE_OFF']);

const storeSettings = {
  retailerId: text(255),
  name: text(255),
  timeZone: text(64).describe('IANA time zone, e.g. America/New_York'),
  currency: string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three upper-case letters, such as USD')
    .describe('ISO 4217'),
  currencyExponent: z
    .number()
    .int()
    .min(0)
    .max(4)
    .describe("The currency's decimals; optional, checked against ISO 4217 when given"),
  taxInclusive: z.boolean(),
  preauthAmountMinor: z.number().int().positive().describe('Pre-auth placed at entry, in minor units'),
  badCartDeadline: string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 30m, 24h or 2d')
    .nullable()
    .describe('Overrides BAD_CART_DEADLINE; null: the environment default'),
  badCartDefaultDecision: decision.nullable().describe('Overrides BAD_CART_DEFAULT_DECISION; null: the default'),
  scanKeyPrefix: string()
    .regex(/^[A-Z0-9]{2,8}$/, 'must be 2-8 upper-case letters or digits')
    .nullable()
    .describe('Overrides SCAN_KEY_PREFIX for codes scanned at this store; null: the default'),
  live: z.boolean().describe('A store that is not live is answered at the gate as an unknown store'),
};

export const newStoreRequest = z.object({
  storeId: id().describe("Amazon's store id from onboarding"),
  ...storeSettings,
  timeZone: storeSettings.timeZone.optional(),
  currencyExponent: storeSettings.currencyExponent.optional(),
  badCartDeadline: storeSettings.badCartDeadline.optional(),
  badCartDefaultDecision: storeSettings.badCartDefaultDecision.optional(),
  scanKeyPrefix: storeSettings.scanKeyPrefix.optional(),
  live: storeSettings.live.optional().describe('Default false: open the store with an update once it is set up'),
});

export const storeChangesRequest = z.object(
  Object.fromEntries(Object.entries(storeSettings).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof storeSettings]: z.ZodOptional<(typeof storeSettings)[K]>;
  },
);

export const storeView = z.object({
  storeId: z.string(),
  retailerId: z.string(),
  name: z.string(),
  timeZone: z.string(),
  currency: z.string(),
  currencyExponent: z.number().int(),
  taxInclusive: z.boolean(),
  preauthAmountMinor: z.number().int(),
  badCartDeadline: z.string().nullable(),
  badCartDefaultDecision: decision.nullable(),
  scanKeyPrefix: z.string().nullable(),
  live: z.boolean(),
});

export const taxRateRequest = z.object({
  rateBasisPoints: z.number().int().describe('825 = 8.25%'),
  name: text(255).optional(),
  effectiveFrom: isoTimestamp().optional().describe('Absent: since always'),
  effectiveUntil: isoTimestamp().optional().describe('Absent: until replaced'),
});

export const taxRateView = z.object({
  taxCode: z.string(),
  rateBasisPoints: z.number().int(),
  name: z.string().optional(),
  effectiveFrom: z.string().optional(),
  effectiveUntil: z.string().nullable(),
});

const schedule = {
  id: id(),
  name: text(255),
  startsAt: isoTimestamp().optional(),
  endsAt: isoTimestamp().optional(),
  priority: z.number().int().optional(),
  exclusive: z.boolean().optional(),
};
const skus = z.array(text(255)).min(1, 'must name at least one SKU').max(10_000);
const basisPoints = z.number().int();
const minor = z.number().int();

export const promotionRequest = z.discriminatedUnion('kind', [
  z.object({ ...schedule, kind: z.literal('PERCENT_OFF'), skus, percentBasisPoints: basisPoints }),
  z.object({ ...schedule, kind: z.literal('FIXED_OFF'), skus, amountOffMinor: minor }),
  z.object({
    ...schedule,
    kind: z.literal('BUY_X_GET_Y'),
    skus,
    buyQuantity: z.number().int(),
    getQuantity: z.number().int(),
    getPercentOffBasisPoints: basisPoints.optional(),
  }),
  z.object({ ...schedule, kind: z.literal('MULTI_BUY'), skus, quantity: z.number().int(), priceMinor: minor }),
  z.object({
    ...schedule,
    kind: z.literal('SPEND_THRESHOLD'),
    thresholdMinor: minor,
    amountOffMinor: minor.optional(),
    percentOffBasisPoints: basisPoints.optional(),
  }),
]);

/** The largest promotion file the import reads (a POS export of a few thousand promotions). */
export const PROMOTION_IMPORT_LIMIT = '5mb';

export const promotionImportRequest = z.object({
  format: z.enum(['json', 'csv']),
  content: string().min(1, 'must not be empty').max(5_000_000),
});

export const promotionImportResult = z.object({
  imported: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), id: z.string().nullable(), problems: z.array(z.string()) })),
  warnings: z.array(z.object({ line: z.number().int(), id: z.string(), missingSkus: z.array(z.string()) })),
});

export const promotionListEntry = z.object({
  promotion: z.record(z.string(), z.unknown()),
  state: z.enum(['SCHEDULED', 'ACTIVE', 'ENDED']),
});

const testToken = z.object({
  type: z.literal('TEST_TOKEN').describe("The simulated gateway's test token (tok_visa, tok_decline_capture, …)"),
  token: text(255),
  expiry: string().describe("The card's last valid month, YYYY-MM"),
});

const stripeSetupIntent = z.object({
  type: z
    .literal('STRIPE_SETUP_INTENT')
    .describe(
      'PAYMENT_GATEWAY=stripe: a SetupIntent created by POST …/payment-method/setup-intents and confirmed by the app with Stripe’s SDK; the connector reads its PaymentMethod from Stripe',
    ),
  setupIntentId: text(255).describe('seti_…'),
});

/** One member per gateway flow; the configured gateway takes its own only (TEST_TOKEN: simulated, STRIPE_SETUP_INTENT: stripe). */
export const paymentMethodRequest = z.discriminatedUnion('type', [testToken, stripeSetupIntent]);

export const setupIntentView = z.object({
  setupIntentId: z.string().describe('seti_…'),
  clientSecret: z
    .string()
    .describe('For the app to confirm with Stripe’s SDK (confirmSetup); never stored by the connector'),
  customerId: z.string().describe("The shopper's Stripe Customer (cus_…), kept as shoppers.payment_customer_id"),
});

const visitorType = z.enum(['SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER']);
/** Only its SHA-256 is stored; long enough that it cannot be guessed. */
const appToken = string().min(8, 'must be at least 8 characters').max(255, 'must be at most 255 characters');

export const enrollShopperRequest = z.object({
  shopperId: text(255),
  displayName: text(255),
  visitorType: visitorType.default('SHOPPER'),
  appToken: appToken
    .optional()
    .describe("The token the shopper's app signs in with (POST /app/v1/sessions); only its SHA-256 is kept"),
  paymentMethod: paymentMethodRequest.optional(),
});

/** The operator API's form: also the flat `paymentToken`/`paymentExpiry` the simulator and older scripts send. */
export const operatorEnrollShopperRequest = enrollShopperRequest.extend({
  paymentToken: text(255).optional().describe('Shorthand for paymentMethod TEST_TOKEN'),
  paymentExpiry: string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be the card's last valid month, YYYY-MM")
    .optional(),
});

export const deactivateShopperRequest = z.object({ reason: string().max(1000).optional() });

export const shopperView = z.object({
  shopperId: z.string(),
  displayName: z.string(),
  visitorType,
  status: z.enum(['ACTIVE', 'CLOSED']),
  flaggedReason: z.string().nullable(),
  paymentMethod: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('TEST_TOKEN'), token: z.string(), expiry: z.string().nullable() }),
      z.object({
        type: z.literal('STRIPE_PAYMENT_METHOD'),
        paymentMethodId: z.string().describe('pm_…'),
        customerId: z.string().nullable().describe('cus_…'),
        expiry: z.string().nullable(),
      }),
    ])
    .nullable(),
  hasOpenDebt: z.boolean(),
});

/** Flagging names why (recorded as the account's flag and in the audit log). */
export const flagShopperRequest = z.object({
  reason: text(1000).describe('Why: kept as the flag and in the audit log'),
});
/** Unflagging and revoking codes may say why (the audit log). */
export const shopperActionRequest = z.object({ reason: string().max(1000).optional() });
