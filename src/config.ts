/**
 * Environment → typed configuration, validated once at start-up.
 * A wrong value stops the process with a message naming the variable (see ConfigError).
 * Every variable and its default is listed in the README's "Configuration" table.
 */
import { z } from 'zod';
import { StartupError } from './startup';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * Defaults that make the demo run out of the box. Outside demo mode (DEMO_MODE=false, the default
 * of every process but `npm start`) the process refuses to start while a secret holds one of these,
 * a placeholder, or fewer than MIN_SECRET_LENGTH characters (see productionSecretProblems).
 */
export const DEMO_SECRETS = {
  CONNECTOR_API_KEYS: 'demo-connector-key',
  OPERATOR_API_KEYS: 'demo-operator-key',
  SCAN_KEY_MAC_KEYS: 'A:demo-scan-key-secret-change-me',
  APP_SESSION_SECRETS: 'demo-app-session-secret-change-me',
} as const;

/** The app backend's key in demo mode when APP_BACKEND_KEYS is unset. */
export const DEMO_APP_BACKEND_KEY = 'demo-app-backend-key';

/** API keys, operator keys, scan-key MAC secrets and the metrics token outside demo mode. */
export const MIN_SECRET_LENGTH = 32;

/** Operator roles, weakest first: each role may do what the ones before it may. */
export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** One entry of OPERATOR_KEYS: a named person (or automation) with a role and a key. */
export interface OperatorKey {
  name: string;
  role: OperatorRole;
  key: string;
}

/** The name OPERATOR_API_KEYS (the single shared key of earlier versions) acts under, with role admin. */
export const LEGACY_OPERATOR_NAME = 'operator';

const operatorKeys = z
  .string()
  .regex(
    /^[A-Za-z0-9._@-]{1,64}:(viewer|operator|admin):[^,:\s]+(,[A-Za-z0-9._@-]{1,64}:(viewer|operator|admin):[^,:\s]+)*$/,
    'must be "name:role:key[,name:role:key]" with role viewer, operator or admin',
  )
  .transform((v): OperatorKey[] =>
    v.split(',').map((entry) => {
      const [name, role, key] = entry.split(':');
      return { name, role: role as OperatorRole, key };
    }),
  );

const schema = z.object({
  /**
   * The demo (`npm start` sets it): demo secrets are accepted, the demo store is seeded, the demo
   * app tokens sign in, operators may mint Scan Key Codes for any shopper and /metrics is open.
   */
  DEMO_MODE: bool.default(false),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Unset: embedded PGlite under DATA_DIR. Set: PostgreSQL through `pg`. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Unset (all-in-one only): start the embedded Temporal dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  /**
   * A secured Temporal (a cluster with mTLS, or Temporal Cloud): PEM as a file path or inline. CA:
   * the server's issuer when it is not a public one; CERT and KEY: this client's certificate (mTLS);
   * SERVER_NAME: the name the server certificate carries when it differs from the address's host.
   */
  TEMPORAL_TLS_CA: z.string().min(1).optional(),
  TEMPORAL_TLS_CERT: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** Temporal Cloud API key (implies TLS). */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /**
   * Payload encryption (AES-256-GCM) of everything the connector puts in Temporal: `id:base64key,…`,
   * 32-byte keys, the first encrypts, all decrypt (rotation). Unset: payloads are stored as JSON.
   */
  TEMPORAL_PAYLOAD_KEYS: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/,
      'must be "id:base64key[,id:base64key]" with 32-byte keys (openssl rand -base64 32)',
    )
    .optional(),
  /** Origins of the Temporal UI allowed to call the codec endpoint (CORS). */
  TEMPORAL_UI_ORIGINS: csv.default(['http://localhost:8233']),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('jwo-connector'),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Path of a `temporal` CLI binary to use instead of the provisioned one. */
  TEMPORAL_CLI: z.string().min(1).optional(),
  /** Header Amazon sends its connector credential in, and the accepted keys (comma-separated, for rotation). */
  CONNECTOR_AUTH_HEADER: z.string().min(1).default('x-api-key'),
  CONNECTOR_API_KEYS: csv.default([DEMO_SECRETS.CONNECTOR_API_KEYS]),
  /**
   * Keys of the retailer's app backend for shopper enrollment (/app-backend/v1, header
   * x-app-backend-key), comma-separated for rotation. Unset: none, except the demo's in demo mode.
   */
  APP_BACKEND_KEYS: csv.optional(),
  /**
   * Secrets signing the app's shopper sessions (POST /app/v1/sessions), comma-separated: the first
   * signs, all verify, so a secret is rotated by putting the new one first.
   */
  APP_SESSION_SECRETS: csv
    .refine((secrets) => secrets.length > 0, 'must hold at least one secret')
    .default([DEMO_SECRETS.APP_SESSION_SECRETS]),
  /** How long a shopper session lasts before the app signs in again. */
  APP_SESSION_TTL_SECONDS: positiveInt.max(86_400).default(900),
  /**
   * Shoppers signing in with the retailer's identity provider: POST /app/v1/sessions also takes
   * { idToken }, verified against the issuer's JWKS; the shopper id is APP_OIDC_SHOPPER_CLAIM.
   */
  APP_OIDC_ISSUER: z.string().url().optional(),
  APP_OIDC_AUDIENCE: z.string().min(1).optional(),
  /** The JWKS address; unset: the jwks_uri of the issuer's /.well-known/openid-configuration. */
  APP_OIDC_JWKS_URL: z.string().url().optional(),
  APP_OIDC_SHOPPER_CLAIM: z.string().min(1).default('sub'),
  /** Per-operator credentials of the operator API: `name:role:key,…` (role viewer, operator or admin). */
  OPERATOR_KEYS: operatorKeys.optional(),
  /**
   * Deprecated: shared keys of the operator API, each acting as admin under the name "operator".
   * Unset: none, except the demo key in demo mode.
   */
  OPERATOR_API_KEYS: csv.optional(),
  /** Operators signing in with the retailer's identity provider: OIDC bearer tokens verified against its JWKS. */
  OPERATOR_OIDC_ISSUER: z.string().url().optional(),
  OPERATOR_OIDC_AUDIENCE: z.string().min(1).optional(),
  /** The JWKS address; unset: the jwks_uri of the issuer's /.well-known/openid-configuration. */
  OPERATOR_OIDC_JWKS_URL: z.string().url().optional(),
  /** The token claim holding the operator's role (viewer, operator or admin). */
  OPERATOR_OIDC_ROLE_CLAIM: z.string().min(1).default('jwo_role'),
  /** Bearer token /metrics requires. Unset: /metrics is open in demo mode and off (404) outside it. */
  METRICS_TOKEN: z.string().min(1).optional(),
  /** Scan Key Codes: Customer Prefix, the window around authEvent.timestamp, and MAC keys "id:secret,id:secret" (first signs). */
  SCAN_KEY_PREFIX: z
    .string()
    .regex(/^[A-Z0-9]{2,8}$/, 'must be 2-8 upper-case letters or digits')
    .default('JWO'),
  SCAN_KEY_WINDOW_SECONDS: z.coerce.number().int().min(30).max(90).default(60),
  SCAN_KEY_MAC_KEYS: z
    .string()
    .regex(
      /^[A-Z0-9]:[^,]{16,}(,[A-Z0-9]:[^,]{16,})*$/,
      'must be "K:secret[,K:secret]" with one-character ids and secrets of 16+ characters',
    )
    .default(DEMO_SECRETS.SCAN_KEY_MAC_KEYS),
  /** Gate: answer 500 (store default) if the decision is not made within this many ms. */
  GATE_DEADLINE_MS: positiveInt.max(1900).default(1500),
  /**
   * How long the gate and Create Purchases wait for Temporal to take a workflow start before they
   * answer. The start is recorded with the answer and carries on in the background either way (the
   * outbox relay makes it if it fails), so the default 0 answers from the database alone; tests
   * that read a workflow right after the answer wait for it.
   */
  TEMPORAL_START_BUDGET_MS: z.coerce.number().int().min(0).max(1500).default(0),
  /** Create Purchases: answer 500 (Amazon retries the same request) if the purchase is not recorded and started by then. */
  PURCHASE_DEADLINE_MS: positiveInt.max(30000).default(5000),
  /** Gate: requests per second per store above which it answers 429. */
  GATE_RATE_LIMIT_PER_STORE: positiveInt.default(200),
  /** Bad carts: how long an operator has to decide before the default decision applies. */
  BAD_CART_DEADLINE: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 30m, 24h or 2d')
    .default('24h'),
  BAD_CART_DEFAULT_DECISION: z.enum(['CHARGE_KNOWN', 'WRITE_OFF']).default('CHARGE_KNOWN'),
  /** Pre-auths are voided this long after entry if no purchase closes the trip. */
  PREAUTH_HORIZON: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 30m, 24h or 2d')
    .default('6d'),
  /** POS: unset uses the built-in pricing engine; set to price on the retailer's POS over HTTP. */
  POS_URL: z.string().url().optional(),
  /** The payment gateway behind the ledger: the built-in simulator, or Stripe (then STRIPE_SECRET_KEY is required). */
  PAYMENT_GATEWAY: z.enum(['simulated', 'stripe']).default('simulated'),
  /** Stripe's secret (or restricted) API key: sk_live_…, sk_test_…, rk_live_…, rk_test_…. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_[A-Za-z0-9]+$/, 'must be a Stripe secret or restricted key (sk_live_…, rk_live_…)')
    .optional(),
  /** Stripe's API address; tests point it at stripe-mock or a stand-in. */
  STRIPE_API_BASE: z.string().url().default('https://api.stripe.com'),
  /** Amazon Catalog API. Unset endpoint: the all-in-one starts the simulator. */
  CATALOG_API_ENDPOINT: z.string().url().optional(),
  CATALOG_API_REGION: z.string().min(1).optional(),
  CATALOG_API_ROLE_ARN: z.string().min(1).optional(),
  CATALOG_SQS_QUEUE_URL: z.string().url().optional(),
  /**
   * Origins (scheme://host:port, comma-separated) report links may be downloaded from besides
   * Amazon S3's https hosts: for the Catalog API simulator only (tools and tests set it). Unset: S3 only.
   */
  CATALOG_REPORT_HOSTS: csv
    .refine((origins) => origins.every((o) => URL.canParse(o)), 'must be origins such as http://127.0.0.1:3098')
    .optional(),
  /** How often getCatalogUploadStatus is polled per ingestion (the SQS notification usually ends the wait first). */
  CATALOG_POLL_INTERVAL: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 500ms, 30s or 5m')
    .default('30s'),
  /**
   * At most this many Upload Catalog requests in any one-second window at Amazon, for all workers together:
   * a window shared through the database (src/catalogWorker.ts), N = floor(R) per (1000·N/R + 100) ms; the
   * Temporal queue rate only paces the tasks. 10 sustains 9.1 requests a second.
   */
  CATALOG_UPLOADS_PER_SECOND: z.coerce.number().positive().max(10).default(10),
  /** Items per Upload Catalog request; Amazon allows at most 10,000. */
  CATALOG_CHUNK_SIZE: positiveInt.max(10_000).default(10_000),
  /** Seed the demo store on an empty database (all-in-one). Default: DEMO_MODE; demo mode only. */
  SEED_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

type ParsedConfig = z.infer<typeof schema>;
export type Config = Omit<ParsedConfig, 'OPERATOR_API_KEYS' | 'OPERATOR_KEYS' | 'SEED_DEMO'> & {
  OPERATOR_API_KEYS: string[];
  OPERATOR_KEYS: OperatorKey[];
  SEED_DEMO: boolean;
};

export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration; empty strings count as unset so `FOO=` falls back to the default. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${String(issue.path[0])}=${JSON.stringify(input[String(issue.path[0])])}: ${issue.message}`,
      ),
    );
  }
  const data = parsed.data;
  const problems: string[] = [];
  if (data.SEED_DEMO && !data.DEMO_MODE)
    problems.push('SEED_DEMO="true": the demo store is seeded in demo mode only (DEMO_MODE=true)');
  if (data.PAYMENT_GATEWAY === 'stripe' && !data.STRIPE_SECRET_KEY)
    problems.push('PAYMENT_GATEWAY="stripe": set STRIPE_SECRET_KEY (the account\'s secret or restricted key)');
  if ((data.OPERATOR_OIDC_ISSUER === undefined) !== (data.OPERATOR_OIDC_AUDIENCE === undefined))
    problems.push('OPERATOR_OIDC_ISSUER and OPERATOR_OIDC_AUDIENCE: set both, or neither');
  if ((data.APP_OIDC_ISSUER === undefined) !== (data.APP_OIDC_AUDIENCE === undefined))
    problems.push('APP_OIDC_ISSUER and APP_OIDC_AUDIENCE: set both, or neither');
  const names = (data.OPERATOR_KEYS ?? []).map((k) => k.name);
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) problems.push(`OPERATOR_KEYS: the name "${repeated}" appears twice`);
  if (problems.length) throw new ConfigError(problems);
  return {
    ...data,
    OPERATOR_KEYS: data.OPERATOR_KEYS ?? [],
    OPERATOR_API_KEYS: data.OPERATOR_API_KEYS ?? (data.DEMO_MODE ? [DEMO_SECRETS.OPERATOR_API_KEYS] : []),
    SEED_DEMO: data.SEED_DEMO ?? data.DEMO_MODE,
  };
}

/** Secrets that only look like values: the repository's own placeholders and examples. */
const PLACEHOLDER = /demo|change[-_]?me|placeholder|replace[-_]?me|example|dummy|secret-here|^(.)\1*$/i;

/**
 * A Stripe key whose body (after `sk_live_`, `rk_test_`, …) starts like a placeholder or is one
 * character repeated. Only the start is looked at: a real key is random from its first character
 * (today `51…`), so a placeholder word later in it is chance, not a sign.
 */
const STRIPE_PLACEHOLDER =
  /^(sk|rk)_(live|test)_((demo|changeme|placeholder|replaceme|example|dummy|fake|standin|your|xxx|000|1234)|(.)\5*$)/i;

/**
 * Which process loads the configuration; outside demo mode each refuses only what it uses.
 * - `api` (`node dist/api/server.js`): authenticates every caller (CONNECTOR_API_KEYS, operator
 *   keys, APP_BACKEND_KEYS, METRICS_TOKEN), signs sessions and Scan Key Codes (APP_SESSION_SECRETS,
 *   SCAN_KEY_MAC_KEYS), and calls the payment gateway for refunds and shoppers' card set-up.
 * - `worker` (`node dist/worker.js`): runs the workflows and activities, so it moves the money
 *   (PAYMENT_GATEWAY, STRIPE_SECRET_KEY) and holds none of the API's keys.
 * - `all-in-one` (`npm start`): both.
 */
export type ServiceRole = 'api' | 'worker' | 'all-in-one';

/**
 * Why these secrets must not guard a real deployment, by variable (never quoting a real secret):
 * a repository default or placeholder, or fewer than MIN_SECRET_LENGTH characters; and the
 * simulated gateway. Only what `role` uses is checked (the default checks everything).
 */
export function productionSecretProblems(config: Config, role: ServiceRole = 'all-in-one'): string[] {
  // Every role moves money: the worker charges, the API refunds and sets shoppers' cards up.
  // The simulated gateway approves test tokens and moves no money: a demo, never a deployment.
  const payments: string[] = [];
  if (config.PAYMENT_GATEWAY === 'simulated')
    payments.push('PAYMENT_GATEWAY: "simulated" moves no money and is for demo mode only: set PAYMENT_GATEWAY=stripe');
  else if (config.STRIPE_SECRET_KEY !== undefined && STRIPE_PLACEHOLDER.test(config.STRIPE_SECRET_KEY))
    payments.push(
      "STRIPE_SECRET_KEY: the key is a demo value or placeholder: set the Stripe account's secret or restricted key",
    );
  // The worker authenticates no caller and signs nothing: the API's keys are not given to it.
  if (role === 'worker') return payments;
  const problems: string[] = [];
  const check = (variable: string, secrets: { label: string; value: string }[]) => {
    for (const { label, value } of secrets) {
      if (PLACEHOLDER.test(value))
        problems.push(`${variable}: ${label} is a demo value or placeholder from the repository: set a real secret`);
      else if (value.length < MIN_SECRET_LENGTH)
        problems.push(
          `${variable}: ${label} has ${value.length} characters; at least ${MIN_SECRET_LENGTH} are needed (openssl rand -hex 32)`,
        );
    }
  };
  const nth = (values: string[]) => values.map((value, i) => ({ label: `key ${i + 1}`, value }));
  check('CONNECTOR_API_KEYS', nth(config.CONNECTOR_API_KEYS));
  check('OPERATOR_API_KEYS', nth(config.OPERATOR_API_KEYS));
  check('APP_BACKEND_KEYS', nth(config.APP_BACKEND_KEYS ?? []));
  check('APP_SESSION_SECRETS', nth(config.APP_SESSION_SECRETS));
  check(
    'OPERATOR_KEYS',
    config.OPERATOR_KEYS.map((k) => ({ label: `the key of ${k.name}`, value: k.key })),
  );
  check(
    'SCAN_KEY_MAC_KEYS',
    config.SCAN_KEY_MAC_KEYS.split(',').map((entry) => ({
      label: `the secret of key id ${entry.slice(0, 1)}`,
      value: entry.slice(2),
    })),
  );
  if (config.METRICS_TOKEN !== undefined) check('METRICS_TOKEN', [{ label: 'the token', value: config.METRICS_TOKEN }]);
  return [...problems, ...payments];
}

/**
 * loadConfig, then the refusal every long-running process (API, workers, all-in-one) makes
 * outside demo mode: no repository default, placeholder or short key may guard a deployment.
 * `role` says which process this is, so each checks only the secrets it uses (ServiceRole): a
 * worker is not given the API's keys. The default checks everything.
 */
export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env, role: ServiceRole = 'all-in-one'): Config {
  const config = loadConfig(env);
  if (config.DEMO_MODE) return config;
  const problems = productionSecretProblems(config, role);
  if (problems.length)
    throw new ConfigError([
      ...problems,
      'outside demo mode every secret this process uses must be real (DEMO_MODE=true runs the demo with its published keys)',
    ]);
  return config;
}

/** Durations in config ("30m", "24h", "6d") → milliseconds. */
export function durationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * factor;
}

/** The secret settings still holding their demo values (by variable name). */
export function secretsAtDemoValues(config: Config): string[] {
  const found: string[] = [];
  if (config.CONNECTOR_API_KEYS.includes(DEMO_SECRETS.CONNECTOR_API_KEYS)) found.push('CONNECTOR_API_KEYS');
  if (config.OPERATOR_API_KEYS.includes(DEMO_SECRETS.OPERATOR_API_KEYS)) found.push('OPERATOR_API_KEYS');
  if (config.OPERATOR_KEYS.some((k) => k.key === DEMO_SECRETS.OPERATOR_API_KEYS)) found.push('OPERATOR_KEYS');
  if (config.SCAN_KEY_MAC_KEYS.split(',').includes(DEMO_SECRETS.SCAN_KEY_MAC_KEYS)) found.push('SCAN_KEY_MAC_KEYS');
  if (config.APP_SESSION_SECRETS.includes(DEMO_SECRETS.APP_SESSION_SECRETS)) found.push('APP_SESSION_SECRETS');
  return found;
}
