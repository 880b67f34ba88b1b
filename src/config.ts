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

/** Defaults that make the demo run out of the box; a deployment still using one fails the live readiness checklist. */
export const DEMO_SECRETS = {
  CONNECTOR_API_KEYS: 'demo-connector-key',
  OPERATOR_API_KEYS: 'demo-operator-key',
  SCAN_KEY_MAC_KEYS: 'A:demo-scan-key-secret-change-me',
} as const;

const schema = z.object({
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
  /** Keys of operator endpoints (/v1/purchases, /v1/badcarts, …). */
  OPERATOR_API_KEYS: csv.default([DEMO_SECRETS.OPERATOR_API_KEYS]),
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
   * answer anyway; the start is recorded with the answer, and the outbox relay makes it later.
   */
  TEMPORAL_START_BUDGET_MS: positiveInt.max(1500).default(500),
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
  /** Amazon Catalog API. Unset endpoint: the all-in-one starts the simulator. */
  CATALOG_API_ENDPOINT: z.string().url().optional(),
  CATALOG_API_REGION: z.string().min(1).optional(),
  CATALOG_API_ROLE_ARN: z.string().min(1).optional(),
  CATALOG_SQS_QUEUE_URL: z.string().url().optional(),
  /** How often getCatalogUploadStatus is polled per ingestion (the SQS notification usually ends the wait first). */
  CATALOG_POLL_INTERVAL: z
    .string()
    .regex(/^\d+(ms|s|m|h|d)$/, 'must be a duration like 500ms, 30s or 5m')
    .default('30s'),
  /**
   * Rate of the catalog task queue (maxTaskQueueActivitiesPerSecond). Temporal's limiter is a token bucket that
   * also lets about one second's worth through at once on each of the queue's (default 4) partitions, so the
   * busiest second can see R + 4·ceil(R/4) uploads: 4 keeps that at 8, under Amazon's 10 a second.
   */
  CATALOG_UPLOADS_PER_SECOND: z.coerce.number().positive().max(10).default(4),
  /** Items per Upload Catalog request; Amazon allows at most 10,000. */
  CATALOG_CHUNK_SIZE: positiveInt.max(10_000).default(10_000),
  /** Seed the demo store on an empty database (all-in-one). */
  SEED_DEMO: bool.default(true),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

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
  return parsed.data;
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
  if (config.SCAN_KEY_MAC_KEYS.split(',').includes(DEMO_SECRETS.SCAN_KEY_MAC_KEYS)) found.push('SCAN_KEY_MAC_KEYS');
  return found;
}
