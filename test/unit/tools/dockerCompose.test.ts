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
  }
  expect(compose.services.api.command).toEqual(['node', 'dist/api/server.js']);
  expect(compose.services.worker.command).toEqual(['node', 'dist/worker.js']);
});

test('when Temporal comes up, then the search attributes the connector sets are registered', () => {
  const script = compose.services['temporal-search-attributes'].command.join(' ');
  for (const attribute of ['StoreId', 'ShopperId', 'TripId', 'PurchaseStatus']) expect(script).toContain(attribute);
});
