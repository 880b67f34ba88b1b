/**
 * Would the containers start? Each container of the synthesized template (API, worker) is given what
 * ECS would give it: its plain environment (CloudFormation references replaced by plausible values),
 * and each of its secrets as Secrets Manager would hold it (generated ones: random values of the
 * generated length; the others: the value they are created with, or what the README says to fill in).
 * Its command's prelude then runs with `sh`, as in the task (DATABASE_URL, SCAN_KEY_MAC_KEYS), and
 * the product's own start-up check, the root's compiled `loadServiceConfig` with the role the
 * container's entry point passes, must accept the result.
 *
 * Needs the root built (`npm run build` at the repository root; CI's `npm test` builds it before the
 * infra tests run).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { container, synthApp } from './support';

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
  let secret = ref ? resources[ref] : undefined;
  if (secret?.Type === 'AWS::SecretsManager::SecretTargetAttachment')
    secret = resources[secret.Properties?.SecretId?.Ref];
  if (secret?.Type !== 'AWS::SecretsManager::Secret') throw new Error(`${variable}: no secret behind ${text}`);
  const properties = secret.Properties ?? {};
  const generate = properties.GenerateSecretString;
  let value: unknown;
  if (generate) {
    const generated = hex(generate.PasswordLength ?? 32);
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
  const apiOnly = ['CONNECTOR_API_KEYS', 'OPERATOR_API_KEYS', 'SCAN_KEY_MAC_KEYS', 'APP_SESSION_SECRETS'];
  expect(secretNames(api)).toEqual(expect.arrayContaining([...apiOnly, 'STRIPE_SECRET_KEY']));
  expect(secretNames(worker)).toContain('STRIPE_SECRET_KEY');
  expect(secretNames(worker).filter((n) => apiOnly.includes(n))).toEqual([]);
  // A generated bare scan key becomes key A in the API's prelude, as the product requires.
  const env = processEnvironment(api, { filledIn: { STRIPE_SECRET_KEY: STRIPE_KEY } });
  expect(env.SCAN_KEY_MAC_KEYS).toMatch(/^A:[0-9a-f]{48}$/);
});
