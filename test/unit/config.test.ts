import {
  ConfigError,
  durationMs,
  loadConfig,
  loadServiceConfig,
  productionSecretProblems,
  secretsAtDemoValues,
} from '../../src/config';

test('when nothing is set, then every default applies', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    PORT: 3000,
    DATA_DIR: '.data',
    TEMPORAL_NAMESPACE: 'default',
    SCAN_KEY_WINDOW_SECONDS: 60,
    CONNECTOR_API_KEYS: ['demo-connector-key'],
    DEMO_MODE: false,
    SEED_DEMO: false,
    OPERATOR_API_KEYS: [],
    OPERATOR_KEYS: [],
    OPERATOR_OIDC_ROLE_CLAIM: 'jwo_role',
    APP_SESSION_SECRETS: ['demo-app-session-secret-change-me'],
    APP_SESSION_TTL_SECONDS: 900,
  });
  // The demo: its published operator key and its seed.
  expect(loadConfig({ DEMO_MODE: 'true' })).toMatchObject({
    OPERATOR_API_KEYS: ['demo-operator-key'],
    SEED_DEMO: true,
  });
  expect(config.DATABASE_URL).toBeUndefined();
});

test('when values are set, then they are parsed into their types and empty strings count as unset', () => {
  const config = loadConfig({
    PORT: '8080',
    CONNECTOR_API_KEYS: 'new-key, old-key',
    SEED_DEMO: 'false',
    DATABASE_URL: '',
    OPERATOR_KEYS: 'vic:viewer:k1,ada:admin:k2',
    APP_SESSION_SECRETS: 'new-secret, old-secret',
  });
  expect(config.OPERATOR_KEYS).toEqual([
    { name: 'vic', role: 'viewer', key: 'k1' },
    { name: 'ada', role: 'admin', key: 'k2' },
  ]);
  expect(config).toMatchObject({ PORT: 8080, CONNECTOR_API_KEYS: ['new-key', 'old-key'], SEED_DEMO: false });
  expect(config.APP_SESSION_SECRETS).toEqual(['new-secret', 'old-secret']);
  expect(config.DATABASE_URL).toBeUndefined();
});

test.each([
  ['PORT', 'eighty'],
  ['PORT', '70000'],
  ['SCAN_KEY_WINDOW_SECONDS', '120'],
  ['SCAN_KEY_MAC_KEYS', 'short'],
  ['DATABASE_URL', 'not a url'],
  ['BAD_CART_DEADLINE', 'tomorrow'],
  ['GATE_DEADLINE_MS', '5000'],
  ['OPERATOR_KEYS', 'vic:superuser:k1'],
  ['OPERATOR_KEYS', 'vic:k1'],
  ['SEED_DEMO', 'true'],
  ['APP_SESSION_SECRETS', ' , '],
  ['APP_SESSION_TTL_SECONDS', '0'],
  ['APP_SESSION_TTL_SECONDS', '604800'],
])('when %s=%s, then start-up stops with a message naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
});

test('when durations are written with units, then they convert to milliseconds', () => {
  expect([durationMs('250ms'), durationMs('30s'), durationMs('5m'), durationMs('24h'), durationMs('6d')]).toEqual([
    250, 30_000, 300_000, 86_400_000, 518_400_000,
  ]);
});

test('when operator names repeat or OIDC is half configured, then start-up stops naming the variable', () => {
  expect(() => loadConfig({ OPERATOR_KEYS: 'vic:viewer:k1,vic:admin:k2' })).toThrow(
    'OPERATOR_KEYS: the name "vic" appears twice',
  );
  expect(() => loadConfig({ OPERATOR_OIDC_ISSUER: 'https://idp.example.com' })).toThrow(
    'OPERATOR_OIDC_ISSUER and OPERATOR_OIDC_AUDIENCE: set both, or neither',
  );
  expect(() => loadConfig({ APP_OIDC_AUDIENCE: 'retailer-app' })).toThrow(
    'APP_OIDC_ISSUER and APP_OIDC_AUDIENCE: set both, or neither',
  );
  expect(loadConfig({ APP_OIDC_ISSUER: 'https://idp.example.com', APP_OIDC_AUDIENCE: 'retailer-app' })).toMatchObject({
    APP_OIDC_SHOPPER_CLAIM: 'sub',
  });
});

const strong = (c: string) => `${c}-7f3a9c41d2e8b605f1a4c9d3e7b2a6f0`;
const production = {
  CONNECTOR_API_KEYS: strong('c'),
  OPERATOR_KEYS: `ada:admin:${strong('a')}`,
  SCAN_KEY_MAC_KEYS: `A:${strong('s')}`,
  APP_SESSION_SECRETS: strong('p'),
  PAYMENT_GATEWAY: 'stripe',
  STRIPE_SECRET_KEY: 'sk_live_7f3a9c41d2e8b605f1a4c9d3e7b2a6f0',
};

test('when a service starts outside demo mode with the repository defaults, then it stops naming each secret', () => {
  expect(() => loadServiceConfig({})).toThrow(ConfigError);
  const message = (() => {
    try {
      loadServiceConfig({});
    } catch (err) {
      return (err as Error).message;
    }
  })();
  expect(message).toContain('CONNECTOR_API_KEYS: key 1 is a demo value or placeholder');
  expect(message).toContain('SCAN_KEY_MAC_KEYS: the secret of key id A is a demo value or placeholder');
  expect(message).toContain('APP_SESSION_SECRETS: key 1 is a demo value or placeholder');
  expect(message).toContain('PAYMENT_GATEWAY: "simulated" moves no money and is for demo mode only');
  // In demo mode the same defaults are fine.
  expect(loadServiceConfig({ DEMO_MODE: 'true' }).DEMO_MODE).toBe(true);
});

test.each([
  [
    'CONNECTOR_API_KEYS',
    `${strong('c')},short-but-real-key`,
    /CONNECTOR_API_KEYS: key 2 has 18 characters; at least 32/,
  ],
  [
    'CONNECTOR_API_KEYS',
    'change-me-connector-key-of-many-characters',
    /CONNECTOR_API_KEYS: key 1 is a demo value or placeholder/,
  ],
  ['OPERATOR_KEYS', 'ada:admin:tooshort', /OPERATOR_KEYS: the key of ada has 8 characters/],
  ['OPERATOR_API_KEYS', 'demo-operator-key', /OPERATOR_API_KEYS: key 1 is a demo value/],
  ['SCAN_KEY_MAC_KEYS', 'A:sixteen-chars-ok!', /SCAN_KEY_MAC_KEYS: the secret of key id A has 17 characters/],
  ['METRICS_TOKEN', 'placeholder-metrics-token-placeholder', /METRICS_TOKEN: the token is a demo value or placeholder/],
  ['APP_SESSION_SECRETS', 'demo-app-session-secret-change-me', /APP_SESSION_SECRETS: key 1 is a demo value/],
  // Rotation: the old secret stays listed, and must be as real as the new one.
  ['APP_SESSION_SECRETS', `${strong('p')},tooshort`, /APP_SESSION_SECRETS: key 2 has 8 characters/],
])('when %s=%s outside demo mode, then start-up stops naming it (and never quotes it)', (name, value, problem) => {
  expect(() => loadServiceConfig({ ...production, [name]: value })).toThrow(problem);
  expect(() => loadServiceConfig({ ...production, [name]: value })).not.toThrow(/short-but-real-key|tooshort/);
});

test('when every secret is real, then a service starts outside demo mode', () => {
  const config = loadServiceConfig(production);
  expect(config).toMatchObject({ DEMO_MODE: false, SEED_DEMO: false, OPERATOR_API_KEYS: [] });
  expect(secretsAtDemoValues(config)).toEqual([]);
});

test('when PAYMENT_GATEWAY selects the gateway, then stripe needs a Stripe key and the simulator stays the default', () => {
  expect(loadConfig({})).toMatchObject({ PAYMENT_GATEWAY: 'simulated', STRIPE_API_BASE: 'https://api.stripe.com' });
  expect(
    loadConfig({
      PAYMENT_GATEWAY: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_abc123',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    }),
  ).toMatchObject({
    PAYMENT_GATEWAY: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_abc123',
    STRIPE_API_BASE: 'http://127.0.0.1:12111',
  });
  expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe' })).toThrow(/STRIPE_SECRET_KEY/);
  expect(() => loadConfig({ PAYMENT_GATEWAY: 'adyen' })).toThrow(/PAYMENT_GATEWAY/);
  expect(() => loadConfig({ PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'pk_live_abc' })).toThrow(
    /STRIPE_SECRET_KEY/,
  );
});

describe('when each process checks only the secrets it uses (ServiceRole)', () => {
  // What the worker's container is given (infra/lib/secrets.ts forWorker): no key of the API's.
  const workerOnly = {
    DATABASE_URL: 'postgres://jwo:Zx9kQ2mPv7LtR4wYb8Nc3HdF6gJs1A@db.internal:5432/jwo?sslmode=no-verify',
    TEMPORAL_ADDRESS: 'temporal.example:7233',
    PAYMENT_GATEWAY: 'stripe',
    STRIPE_SECRET_KEY: production.STRIPE_SECRET_KEY,
  };

  test('then the worker starts outside demo mode with only its own secrets set', () => {
    const config = loadServiceConfig(workerOnly, 'worker');
    expect(config).toMatchObject({ DEMO_MODE: false, PAYMENT_GATEWAY: 'stripe' });
    // The API's keys are at their defaults, which the worker never uses.
    expect(secretsAtDemoValues(config)).toEqual(['CONNECTOR_API_KEYS', 'SCAN_KEY_MAC_KEYS', 'APP_SESSION_SECRETS']);
    expect(productionSecretProblems(config, 'worker')).toEqual([]);
  });

  const demoStripeKey = /STRIPE_SECRET_KEY: the key is a demo value or placeholder/;
  test.each([
    ['no PAYMENT_GATEWAY (simulated)', { PAYMENT_GATEWAY: undefined }, /PAYMENT_GATEWAY: "simulated" moves no money/],
    ['PAYMENT_GATEWAY=simulated', { PAYMENT_GATEWAY: 'simulated' }, /PAYMENT_GATEWAY: "simulated" moves no money/],
    ['a demo Stripe key', { STRIPE_SECRET_KEY: 'sk_live_demo0123456789' }, demoStripeKey],
    ['a change-me Stripe key', { STRIPE_SECRET_KEY: 'sk_test_changeme' }, demoStripeKey],
    ['a repeated-character Stripe key', { STRIPE_SECRET_KEY: 'rk_live_xxxxxxxxxxxxxxxx' }, demoStripeKey],
    ['an empty Stripe key (the Payments secret as created)', { STRIPE_SECRET_KEY: '' }, /set STRIPE_SECRET_KEY/],
  ])('then the worker still refuses %s outside demo mode, naming the variable', (_case, change, problem) => {
    const env: Record<string, string | undefined> = { ...workerOnly, ...change };
    expect(() => loadServiceConfig(env, 'worker')).toThrow(ConfigError);
    expect(() => loadServiceConfig(env, 'worker')).toThrow(problem);
    // Never the API's secrets, and never the key itself.
    expect(() => loadServiceConfig(env, 'worker')).not.toThrow(/CONNECTOR_API_KEYS|SCAN_KEY_MAC_KEYS|APP_SESSION/);
    expect(() => loadServiceConfig(env, 'worker')).not.toThrow(/demo0123456789/);
  });

  test('then the API and the all-in-one still refuse a missing CONNECTOR_API_KEYS (its demo default)', () => {
    const apiWithoutConnectorKeys = { ...production, CONNECTOR_API_KEYS: undefined };
    for (const role of ['api', 'all-in-one', undefined] as const) {
      expect(() => loadServiceConfig(apiWithoutConnectorKeys, role)).toThrow(
        /CONNECTOR_API_KEYS: key 1 is a demo value or placeholder/,
      );
    }
    // Exactly what the worker is given is not enough for the API.
    expect(() => loadServiceConfig(workerOnly, 'api')).toThrow(/APP_SESSION_SECRETS: key 1 is a demo value/);
    expect(loadServiceConfig(production, 'api')).toMatchObject({ DEMO_MODE: false });
  });

  test('then the API refuses a placeholder Stripe key too (refunds and card set-up call Stripe)', () => {
    expect(() => loadServiceConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_placeholder' }, 'api')).toThrow(
      /STRIPE_SECRET_KEY: the key is a demo value or placeholder/,
    );
    // A real key is random from its first character: a word later in it is chance, not a placeholder.
    expect(() =>
      loadServiceConfig({ ...production, STRIPE_SECRET_KEY: 'sk_live_51NxQ7dEmO4kTr9Lq2Vw8Zy3Pb6Hc1Fg' }, 'api'),
    ).not.toThrow();
  });

  test('then demo mode skips the check whatever the role', () => {
    expect(loadServiceConfig({ DEMO_MODE: 'true' }, 'worker').PAYMENT_GATEWAY).toBe('simulated');
    expect(loadServiceConfig({ DEMO_MODE: 'true' }, 'api').DEMO_MODE).toBe(true);
  });
});
