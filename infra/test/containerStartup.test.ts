/**
 * Would the containers start? Each container of the synthesized template (API, worker) is given what
 * ECS would give it: its plain environment (CloudFormation references replaced by plausible values),
 * and each of its secrets as Secrets Manager would hold it (generated ones: random values of the
 * generated length, the same for every container reading the secret; the others: the value they are
 * created with, or what the README says to fill in). Its command's prelude then runs with `sh`, as in
 * the task (DATABASE_URL, SCAN_KEY_MAC_KEYS), and the product's own start-up check, the root's
 * compiled `loadServiceConfig` with the role the container's entry point passes, must accept the result.
 *
 * Then the API as the product builds it (the root's compiled `createApp`, with that configuration and
 * stand-ins for the database and Temporal, which building the routes does not touch) is checked
 * against the rest of the task and the load balancer: the CloudWatch agent's scrape, with the token
 * file its writer container leaves, gets /metrics; and every route it serves but /metrics is
 * forwarded by the load balancer's listener.
 *
 * Needs the root built (`npm run build` at the repository root; CI's `npm test` builds it before the
 * infra tests run).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { TOKEN_WRITER } from '../lib/metricsAgent';
import { container, listenerRouting, resource, synthApp, tempOutdir } from './support';

const ROOT_DIST = path.resolve(__dirname, '../../dist');

type Role = 'api' | 'worker' | 'all-in-one';
interface RootConfig {
  loadServiceConfig(env: Record<string, string>, role: Role): Record<string, unknown>;
}

function rootFile(relative: string): string {
  const file = path.join(ROOT_DIST, relative);
  if (!fs.existsSync(file))
    throw new Error(
      `${file} is missing: run \`npm run build\` at the repository root first (these tests use its output)`,
    );
  return file;
}

function rootConfig(): RootConfig {
  return require(rootFile('config.js')) as RootConfig;
}

/** The product's entry points the containers exec, and the role each must start as. */
const ENTRY_POINTS: Record<string, { file: string; role: Role }> = {
  'node dist/api/server.js': { file: 'api/server.js', role: 'api' },
  'node dist/worker.js': { file: 'worker.js', role: 'worker' },
};

const { connector } = synthApp();
const template = connector.toJSON();
const resources: Record<string, { Type: string; Properties?: Record<string, any> }> = template.Resources;
const parameters: Record<string, { Default?: string }> = template.Parameters;

/** Random hex (nothing in it can look like a placeholder word, and it has no punctuation). */
const hex = (length: number) =>
  randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);

/** What the deployment supplies where the template has a reference. */
const PSEUDO: Record<string, string> = {
  'AWS::Region': 'eu-west-1',
  'AWS::AccountId': '123456789012',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'JwoConnector',
};
/** Parameters without a default, as the README's `cdk deploy --parameters` sets them. */
const PARAMETER_VALUES: Record<string, string> = { TemporalAddress: 'temporal.example:7233' };
/** Attributes of the stack's resources, by the variable they feed. */
const ATTRIBUTE_VALUES: Record<string, string> = {
  DB_HOST: 'jwoconnector-database.c9akciq32.eu-west-1.rds.amazonaws.com',
  DB_PORT: '5432',
};

function plain(variable: string, value: unknown, parameterValues: Record<string, string>): string {
  if (typeof value === 'string') return value;
  const token = value as Record<string, any>;
  if (typeof token.Ref === 'string') {
    const ref: string = token.Ref;
    const resolved = PSEUDO[ref] ?? parameterValues[ref] ?? PARAMETER_VALUES[ref] ?? parameters[ref]?.Default;
    if (resolved === undefined) throw new Error(`${variable}: no stand-in for ${JSON.stringify(token)}`);
    return resolved;
  }
  if (Array.isArray(token['Fn::Join'])) {
    const [separator, parts] = token['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => plain(variable, part, parameterValues)).join(separator);
  }
  if (token['Fn::GetAtt'] && ATTRIBUTE_VALUES[variable] !== undefined) return ATTRIBUTE_VALUES[variable];
  throw new Error(`${variable}: no stand-in for ${JSON.stringify(token)}`);
}

/** What Secrets Manager generated, by secret: every container reading a secret gets the same value. */
const generatedValues = new Map<string, string>();

/**
 * The value Secrets Manager gives an ECS secret (`arn` or `arn:field::`): generated secrets as
 * random values of their length, the others as created. `filledIn` (by variable) stands for what
 * the retailer writes in the secrets the README says to fill in.
 */
function secretValue(variable: string, valueFrom: unknown, filledIn: Record<string, string>): string {
  if (filledIn[variable] !== undefined) return filledIn[variable];
  const text = JSON.stringify(valueFrom);
  const ref = /"Ref":"(\w+)"/.exec(text)?.[1];
  const field = /:(\w+)::"/.exec(text)?.[1];
  let secretId = ref;
  let secret = ref ? resources[ref] : undefined;
  if (secret?.Type === 'AWS::SecretsManager::SecretTargetAttachment') {
    secretId = secret.Properties?.SecretId?.Ref;
    secret = resources[secretId ?? ''];
  }
  if (!secretId || secret?.Type !== 'AWS::SecretsManager::Secret')
    throw new Error(`${variable}: no secret behind ${text}`);
  const properties = secret.Properties ?? {};
  const generate = properties.GenerateSecretString;
  let value: unknown;
  if (generate) {
    if (!generatedValues.has(secretId)) generatedValues.set(secretId, hex(generate.PasswordLength ?? 32));
    const generated = generatedValues.get(secretId) as string;
    value = generate.GenerateStringKey
      ? { ...JSON.parse(generate.SecretStringTemplate ?? '{}'), [generate.GenerateStringKey]: generated }[field ?? '']
      : generated;
    if (!generate.GenerateStringKey && field) throw new Error(`${variable}: field ${field} of a plain secret`);
  } else {
    const stored: unknown = properties.SecretString;
    if (typeof stored !== 'string') throw new Error(`${variable}: the secret's value is not in the template`);
    value = field ? JSON.parse(stored)[field] : stored;
  }
  if (typeof value !== 'string') throw new Error(`${variable}: the secret has no field ${field}`);
  return value;
}

interface Deployment {
  /** Values of the stack's parameters. */
  parameters?: Record<string, string>;
  /** Secrets as the retailer fills them in, by variable. */
  filledIn?: Record<string, string>;
}

/** The environment the product's process sees in a container: ECS's injection, then the prelude. */
function processEnvironment(containerDef: Record<string, any>, deployment: Deployment): Record<string, string> {
  const ecsEnv: Record<string, string> = {};
  for (const { Name, Value } of containerDef.Environment ?? [])
    ecsEnv[Name] = plain(Name, Value, deployment.parameters ?? {});
  for (const { Name, ValueFrom } of containerDef.Secrets ?? [])
    ecsEnv[Name] = secretValue(Name, ValueFrom, deployment.filledIn ?? {});
  const [shell, flag, script] = containerDef.Command as string[];
  const lines = script.split('\n');
  // The last line execs the product; print the environment it would get instead.
  lines[lines.length - 1] = `exec node -e 'process.stdout.write(JSON.stringify(process.env))'`;
  const out = execFileSync(shell, [flag, lines.join('\n')], {
    env: { PATH: process.env.PATH ?? '', ...ecsEnv },
    encoding: 'utf8',
  });
  const env: Record<string, string> = JSON.parse(out);
  // What sh and node add on their own is not the container's.
  for (const name of ['PWD', 'SHLVL', '_', 'OLDPWD']) if (!(name in ecsEnv)) delete env[name];
  return env;
}

/**
 * The role the container's entry point passes to loadServiceConfig, read from the compiled entry
 * point itself (none: the default, which checks every secret).
 */
function roleOf(containerDef: Record<string, any>): Role {
  const script: string = containerDef.Command[2];
  const command =
    script
      .split('\n')
      .pop()
      ?.replace(/^exec /, '') ?? '';
  const entry = ENTRY_POINTS[command];
  if (!entry) throw new Error(`unknown entry point: ${command}`);
  const compiled = fs.readFileSync(rootFile(entry.file), 'utf8');
  const call = /loadServiceConfig\)?\((?:process\.env(?:,\s*'([\w-]+)')?)?\)/.exec(compiled);
  if (!call) throw new Error(`${entry.file} does not call loadServiceConfig(process.env, role)`);
  return (call[1] as Role | undefined) ?? 'all-in-one';
}

const containers = [
  ['API', container(connector, 'ApiTask', 'api')],
  ['worker', container(connector, 'WorkerTask', 'worker')],
] as const;

/** A live secret key as Stripe issues them: `sk_live_51` and random characters. */
const STRIPE_KEY = `sk_live_51${hex(96)}`;

describe.each(containers)('the %s container', (_name, containerDef) => {
  const start = (deployment: Deployment) =>
    rootConfig().loadServiceConfig(processEnvironment(containerDef, deployment), roleOf(containerDef));

  test('starts once the Payments secret is filled in, with every other secret as the stack creates it', () => {
    const config = start({ filledIn: { STRIPE_SECRET_KEY: STRIPE_KEY } });
    expect(config).toMatchObject({
      DEMO_MODE: false,
      SEED_DEMO: false,
      PAYMENT_GATEWAY: 'stripe',
      STRIPE_SECRET_KEY: STRIPE_KEY,
      TEMPORAL_ADDRESS: 'temporal.example:7233',
      TEMPORAL_NAMESPACE: 'default',
    });
    // The database URL the prelude assembles from DB_* is the one the product opens.
    const url = new URL(config.DATABASE_URL as string);
    expect([url.protocol, url.hostname, url.port, url.pathname, url.username]).toEqual([
      'postgres:',
      ATTRIBUTE_VALUES.DB_HOST,
      '5432',
      '/jwo',
      'jwo',
    ]);
    expect(url.password).toMatch(/^[0-9a-f]{30}$/);
    // Temporal's secret holds empty fields for a cluster without auth: read as unset, not as values.
    expect([config.TEMPORAL_API_KEY, config.TEMPORAL_TLS_CERT, config.TEMPORAL_TLS_KEY]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('starts against Temporal Cloud with its API key filled in, and with a Catalog API endpoint', () => {
    const config = start({
      parameters: {
        TemporalAddress: 'jwo-prod.a1b2c.tmprl.cloud:7233',
        TemporalNamespace: 'jwo-prod.a1b2c',
        CatalogApiEndpoint: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod',
      },
      filledIn: { STRIPE_SECRET_KEY: STRIPE_KEY, TEMPORAL_API_KEY: hex(64) },
    });
    expect(config).toMatchObject({ TEMPORAL_NAMESPACE: 'jwo-prod.a1b2c', PAYMENT_GATEWAY: 'stripe' });
    expect(config.TEMPORAL_API_KEY).toMatch(/^[0-9a-f]{64}$/);
  });

  test('refuses to start, naming STRIPE_SECRET_KEY, until the Payments secret is filled in', () => {
    expect(() => start({})).toThrow(/PAYMENT_GATEWAY="stripe": set STRIPE_SECRET_KEY/);
  });
});

test('the API gets the keys it checks and starts as the API; the worker gets none of them', () => {
  const [[, api], [, worker]] = containers;
  expect([roleOf(api), roleOf(worker)]).toEqual([
    ENTRY_POINTS['node dist/api/server.js'].role,
    ENTRY_POINTS['node dist/worker.js'].role,
  ]);
  const secretNames = (c: Record<string, any>) => (c.Secrets as Array<{ Name: string }>).map((s) => s.Name);
  const apiOnly = [
    'CONNECTOR_API_KEYS',
    'OPERATOR_API_KEYS',
    'APP_BACKEND_KEYS',
    'METRICS_TOKEN',
    'SCAN_KEY_MAC_KEYS',
    'APP_SESSION_SECRETS',
  ];
  expect(secretNames(api)).toEqual(expect.arrayContaining([...apiOnly, 'STRIPE_SECRET_KEY']));
  expect(secretNames(worker)).toContain('STRIPE_SECRET_KEY');
  expect(secretNames(worker).filter((n) => apiOnly.includes(n))).toEqual([]);
  // A generated bare scan key becomes key A in the API's prelude, as the product requires.
  const env = processEnvironment(api, { filledIn: { STRIPE_SECRET_KEY: STRIPE_KEY } });
  expect(env.SCAN_KEY_MAC_KEYS).toMatch(/^A:[0-9a-f]{48}$/);
  // The app backend's key and the metrics token are generated, and accepted by the API's check.
  const config = rootConfig().loadServiceConfig(env, roleOf(api));
  expect(config.APP_BACKEND_KEYS).toEqual([expect.stringMatching(/^[0-9a-f]{40}$/)]);
  expect(config.METRICS_TOKEN).toMatch(/^[0-9a-f]{48}$/);
});

// ---- The API as built from that configuration, against the rest of the task and the load balancer.

interface RootApp {
  createApp(deps: Record<string, unknown>): { app: RequestListener & { router: { stack: Layer[] } } };
}
interface RootMetrics {
  createMetrics(): unknown;
}
/** Express 5's router layers, as far as the route walk below reads them. */
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  /** true for a router mounted with app.use(router), at the root. */
  slash?: boolean;
}

/** A stand-in that fails loudly if the code path under test reaches it. */
const untouchable = (name: string) =>
  new Proxy(
    {},
    {
      get: (_target, property) => {
        throw new Error(`${name}.${String(property)} used: the test gives the API no ${name}`);
      },
    },
  );
const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The product's API for the API container as deployed (its environment, its secrets), built by the
 * root's compiled createApp. Building the routes reaches neither the database nor Temporal; the
 * metrics are the product's own, without the database-backed gauges.
 */
function deployedApi() {
  const [, api] = containers[0];
  const env = processEnvironment(api, { filledIn: { STRIPE_SECRET_KEY: STRIPE_KEY } });
  const config = rootConfig().loadServiceConfig(env, roleOf(api));
  const { createApp } = require(rootFile('api/app.js')) as RootApp;
  const { createMetrics } = require(rootFile('api/metrics.js')) as RootMetrics;
  const { app } = createApp({
    config,
    db: untouchable('database'),
    temporal: untouchable('temporal'),
    logger: silentLogger,
    metrics: createMetrics(),
  });
  return { app, config };
}

/** Every route path the app serves (method and path), through the routers mounted at the root. */
function routes(stack: Layer[]): Array<{ methods: string[]; path: string }> {
  return stack.flatMap((layer) => {
    if (layer.route) return [{ methods: Object.keys(layer.route.methods), path: layer.route.path }];
    if (layer.handle?.stack) {
      if (!layer.slash) throw new Error('a router mounted at a path prefix: extend this walk to add the prefix');
      return routes(layer.handle.stack);
    }
    return [];
  });
}

/** A request path that matches a route path (parameters filled in). */
function concretePath(routePath: string): string {
  if (/[*{}()?+]/.test(routePath)) throw new Error(`route ${routePath}: extend concretePath for this syntax`);
  return routePath.replace(/:\w+/g, 'x1');
}

async function listening(app: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

test('the metrics agent scrapes the API with the token its writer container leaves, and the API lets it in', async () => {
  const [, api] = containers[0];
  const writer = container(connector, 'ApiTask', TOKEN_WRITER);
  const agent = container(connector, 'ApiTask', 'cloudwatch-agent');
  const { app, config } = deployedApi();

  // The writer runs its command with its secrets, its volume being a fresh directory here.
  const volume = tempOutdir();
  const [writerMount] = writer.MountPoints;
  const [shell, flag, script] = writer.Command as string[];
  const writerEnv: Record<string, string> = {};
  for (const { Name, ValueFrom } of writer.Secrets) writerEnv[Name] = secretValue(Name, ValueFrom, {});
  execFileSync(shell, [flag, script.split(writerMount.ContainerPath).join(volume)], {
    env: { PATH: process.env.PATH ?? '', ...writerEnv },
  });

  // The agent's scrape: target, path and credentials, the file read through the agent's own mount.
  const scrape = JSON.parse(agent.Environment.find((e: any) => e.Name === 'PROMETHEUS_CONFIG_CONTENT').Value)
    .scrape_configs[0];
  const [agentMount] = agent.MountPoints;
  expect(agentMount.SourceVolume).toBe(writerMount.SourceVolume);
  const credentialsFile: string = scrape.authorization.credentials_file;
  expect(credentialsFile.startsWith(`${agentMount.ContainerPath}/`)).toBe(true);
  const tokenFile = path.join(volume, credentialsFile.slice(agentMount.ContainerPath.length));
  // Readable by its owner only (the agent runs as root, as the writer does).
  expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
  const credentials = fs.readFileSync(tokenFile, 'utf8');
  expect(credentials).toBe(config.METRICS_TOKEN);
  const [target] = scrape.static_configs[0].targets as string[];
  expect(target).toBe(`127.0.0.1:${config.PORT}`);
  expect(api.PortMappings.map((m: any) => m.ContainerPort)).toEqual([config.PORT]);

  // The API as deployed answers that scrape, and nothing less.
  const server = await listening(app);
  try {
    const get = (headers: Record<string, string>) => fetch(`${server.url}${scrape.metrics_path}`, { headers });
    const scraped = await get({ authorization: `${scrape.authorization.type} ${credentials}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^# HELP /m);
    expect((await get({})).status).toBe(401);
    expect((await get({ authorization: `Bearer ${hex(48)}` })).status).toBe(401);
  } finally {
    await server.close();
  }
});

test('every route the API serves outside demo mode is forwarded by the load balancer, except /metrics', () => {
  const { app, config } = deployedApi();
  expect(config.DEMO_MODE).toBe(false);
  const served = routes(app.router.stack);
  const paths = [...new Set(served.map((r) => r.path))];
  // The walk sees the routers of the product: the app's, the app backend's, the operators', Amazon's.
  expect(paths).toEqual(
    expect.arrayContaining([
      '/app/v1/sessions',
      '/app/v1/me',
      '/app/v1/scan-keys',
      '/app-backend/v1/shoppers',
      '/ops/v1/stores',
      '/v1/identity/identity-keys',
      '/v1/order/purchases',
      '/healthz',
      '/metrics',
    ]),
  );
  const routing = listenerRouting(connector);
  const [gateTgId] = resource(connector, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'GateTargetGroup');
  const [apiTgId] = resource(connector, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'ApiTargetGroup');
  const decisions = paths.map((routePath) => ({ routePath, ...routing(concretePath(routePath)) }));
  const notForwarded = decisions.filter((d) => !('forwardTo' in d) || ![gateTgId, apiTgId].includes(d.forwardTo));
  expect(notForwarded).toEqual([{ routePath: '/metrics', fixedResponse: '404' }]);
});
