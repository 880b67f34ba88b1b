/** No Docker engine runs here: check that docker-compose.yml parses and defines the topology the README describes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const compose = parse(readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8'));

test('when docker-compose.yml is read, then it defines every service the README names', () => {
  expect(Object.keys(compose.services).sort()).toEqual([
    'api',
    'connector-postgresql',
    'temporal',
    'temporal-postgresql',
    'temporal-search-attributes',
    'temporal-ui',
    'worker',
  ]);
});

test('when the API and worker start, then they point at the Temporal server and the connector database, with no demo secrets', () => {
  for (const name of ['api', 'worker']) {
    const env = compose.services[name].environment;
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@connector-postgresql:5432\//);
    expect(env.CONNECTOR_API_KEYS).not.toBe('demo-connector-key');
    expect(env.DEMO_MODE).toBeUndefined();
  }
  expect(compose.services.api.command).toEqual(['node', 'dist/api/server.js']);
  expect(compose.services.worker.command).toEqual(['node', 'dist/worker.js']);
});

test('when Temporal comes up, then the search attributes the connector sets are registered', () => {
  const script = compose.services['temporal-search-attributes'].command.join(' ');
  for (const attribute of ['StoreId', 'ShopperId', 'TripId', 'PurchaseStatus']) expect(script).toContain(attribute);
});

/** `${VAR:?message}`: compose refuses to start while VAR is unset or empty, and says the message. */
const required = (variable: string) => new RegExp(`\\$\\{${variable}:\\?[^}]+\\}`);

test('when the stack is configured, then every secret comes from the environment with no default', () => {
  const api = compose.services.api.environment;
  for (const variable of [
    'CONNECTOR_API_KEYS',
    'OPERATOR_KEYS',
    'SCAN_KEY_MAC_KEYS',
    'METRICS_TOKEN',
    'APP_SESSION_SECRETS',
  ])
    expect(api[variable]).toMatch(new RegExp(`^${required(variable).source}$`));
  expect(api.OPERATOR_API_KEYS).toBeUndefined();
  expect(api.DATABASE_URL).toMatch(required('CONNECTOR_DB_PASSWORD'));
  expect(compose.services['connector-postgresql'].environment.POSTGRES_PASSWORD).toMatch(
    required('CONNECTOR_DB_PASSWORD'),
  );
  expect(compose.services['temporal-postgresql'].environment.POSTGRES_PASSWORD).toMatch(
    required('TEMPORAL_DB_PASSWORD'),
  );
  expect(compose.services.temporal.environment.POSTGRES_PWD).toMatch(required('TEMPORAL_DB_PASSWORD'));
  // No literal secret is left anywhere in the file.
  const text = readFileSync(join(__dirname, '../../../docker-compose.yml'), 'utf8');
  expect(text).not.toMatch(/change-me|demo-|PASSWORD: (temporal|jwo)\b|PWD: temporal\b/);
});
