import { ConfigError, durationMs, loadConfig } from '../../src/config';

test('when nothing is set, then every default applies', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    PORT: 3000,
    DATA_DIR: '.data',
    TEMPORAL_NAMESPACE: 'default',
    SCAN_KEY_WINDOW_SECONDS: 60,
    CONNECTOR_API_KEYS: ['demo-connector-key'],
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
  });
  expect(config).toMatchObject({ PORT: 8080, CONNECTOR_API_KEYS: ['new-key', 'old-key'], SEED_DEMO: false });
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
])('when %s=%s, then start-up stops with a message naming the variable', (name, value) => {
  expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
  expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=`));
});

test('when durations are written with units, then they convert to milliseconds', () => {
  expect([durationMs('250ms'), durationMs('30s'), durationMs('5m'), durationMs('24h'), durationMs('6d')]).toEqual([
    250, 30_000, 300_000, 86_400_000, 518_400_000,
  ]);
});
