/**
 * `jwo simulate` and `jwo loadtest`: Amazon's side of the store, played against a running connector.
 * Where and how to reach it: --api (default JWO_API_URL, else http://localhost:3000), the operator
 * key JWO_OPERATOR_KEY, and the connector key Amazon would send, JWO_CONNECTOR_KEY in the header
 * JWO_CONNECTOR_AUTH_HEADER (defaults: the demo's keys).
 */
import { randomInt } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import { ConnectorError, type ConnectorAddress } from '../simulator/journey/connector';
import { StoreDataError } from '../simulator/journey/storeData';
import { formatReconciliation } from '../simulator/journey/report';
import { runSimulation } from '../simulator/journey/runSimulation';
import { DEMO_SECRETS } from '../../config';
import { connectorInDemoMode, operatorKey, OpsError } from './opsClient';
import { formatLoadTest } from '../loadtest/report';
import { recordLoadTestResult, runLoadTest } from '../loadtest/runLoadTest';
import { recordStoreMixResult, runStoreMix } from '../loadtest/runStoreMix';
import { parseDuration } from '../loadtest/storeMix';
import { formatStoreMix } from '../loadtest/storeMixReport';
import { DEMO_STORE_ID } from './demoStore';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** A connector that is down or a store that cannot be simulated is a message, not a stack trace. */
function explained<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (err) {
      if (!(err instanceof ConnectorError || err instanceof StoreDataError)) throw err;
      say(`\nError: ${err.message}`);
      process.exitCode = 1;
    }
  };
}

function number(kind: 'integer' | 'positive' | 'ratio') {
  return (value: string): number => {
    const n = Number(value);
    const ok =
      kind === 'integer'
        ? Number.isSafeInteger(n) && n >= 0
        : kind === 'positive'
          ? Number.isFinite(n) && n > 0
          : Number.isFinite(n) && n >= 0 && n <= 1;
    if (!ok)
      throw new InvalidArgumentError(
        kind === 'integer'
          ? 'must be a whole number'
          : kind === 'positive'
            ? 'must be a number above 0'
            : 'must be between 0 and 1',
      );
    return n;
  };
}

/** The demo keys are used only against a connector that says it runs in demo mode. */
async function address(api: string | undefined): Promise<ConnectorAddress> {
  const apiUrl = api ?? process.env.JWO_API_URL ?? 'http://localhost:3000';
  const connectorKey =
    process.env.JWO_CONNECTOR_KEY ||
    ((await connectorInDemoMode(apiUrl.replace(/\/$/, ''))) ? DEMO_SECRETS.CONNECTOR_API_KEYS : undefined);
  if (!connectorKey)
    throw new OpsError(
      `set JWO_CONNECTOR_KEY: the connector at ${apiUrl} is not in demo mode, so the demo key is not tried`,
    );
  return {
    apiUrl,
    operatorKey: await operatorKey(apiUrl.replace(/\/$/, '')),
    connectorKey,
    connectorAuthHeader: process.env.JWO_CONNECTOR_AUTH_HEADER ?? 'x-api-key',
  };
}

export function registerJourneyCommands(program: Command): void {
  program
    .command('simulate')
    .description(
      'play Amazon and a crowd of shoppers against a running connector, then reconcile every trip (exit 1 on any mismatch)',
    )
    .option('--shoppers <n>', 'shoppers to send in (one trip each)', number('integer'), 20)
    .option('--rate <per-second>', 'mean arrival rate (Poisson arrivals)', number('positive'), 5)
    .option('--duration <seconds>', 'leave out shoppers who would arrive after this', number('positive'))
    .option('--seed <n>', 'the same seed gives the same carts and quirks (default: random, printed)', number('integer'))
    .option('--api <url>', 'connector base URL (default JWO_API_URL or http://localhost:3000)')
    .option('--store <id>', 'store id', DEMO_STORE_ID)
    .action(
      explained(
        async (o: {
          shoppers: number;
          rate: number;
          duration?: number;
          seed?: number;
          api?: string;
          store: string;
        }) => {
          const seed = o.seed ?? randomInt(1, 2 ** 31);
          const result = await runSimulation({
            ...(await address(o.api)),
            storeId: o.store,
            seed,
            shoppers: o.shoppers,
            ratePerSecond: o.rate,
            durationSeconds: o.duration,
            log: say,
          });
          process.stdout.write(
            `${formatReconciliation(result.reconciliation, result.currency, `Reconciliation (seed ${seed}, plan ${result.fingerprint}):`)}\n`,
          );
          if (result.reconciliation.mismatches.length) process.exitCode = 1;
        },
      ),
    );

  program
    .command('loadtest')
    .description(
      'peak load: gate scans and purchases at a fixed rate (open loop); exit 1 unless the gate p99 stays under 2 s with no errors. ' +
        'With --mix store: shoppers enter at --entries-per-second and check out --purchase-delay later; exit 1 on a gate 5xx, a purchase not final by the end of --drain, or gate p99 over --gate-p99-target',
    )
    .option('--mix <mix>', "store: entries, then each admitted shopper's purchase, followed to its final status")
    .option('--rate <per-second>', 'arrivals per second, gate scans and purchases together', number('positive'), 20)
    .option('--duration <seconds>', 'how long to keep the rate', number('positive'), 30)
    .option('--purchase-ratio <0..1>', 'share of arrivals that are Create Purchases', number('ratio'), 0.5)
    .option('--entries-per-second <n>', 'store mix: gate scans (shoppers entering) per second', number('positive'))
    .option(
      '--purchase-delay <duration>',
      'store mix: from an entry to its Create Purchases (500ms, 3s, 1m; default 3s)',
      duration('s'),
    )
    .option(
      '--drain <duration>',
      'store mix: after the load, how long to wait for purchases to become final (default 60s)',
      duration('s'),
    )
    .option(
      '--gate-p99-target <duration>',
      'store mix: the gate p99 to stay within (bare number: ms; default 100ms)',
      duration('ms'),
    )
    .option('--api <url>', 'connector base URL (default JWO_API_URL or http://localhost:3000)')
    .option('--store <id>', 'store id', DEMO_STORE_ID)
    .action(
      explained(async (o: LoadTestFlags, command: Command) => {
        const connector = await address(o.api);
        const fromCli = (name: string) => command.getOptionValueSource(name) === 'cli';
        if (o.mix !== undefined && o.mix !== 'store') return usage(`--mix must be "store", not "${o.mix}"`);
        const storeOnly = ['entriesPerSecond', 'purchaseDelay', 'drain', 'gateP99Target'].filter(fromCli);
        const plainOnly = ['rate', 'purchaseRatio'].filter(fromCli);
        if (o.mix === 'store') {
          if (plainOnly.length)
            return usage(
              `${plainOnly.map(flag).join(' and ')} ${plainOnly.length > 1 ? 'do' : 'does'} not apply to --mix store`,
            );
          if (o.entriesPerSecond === undefined) return usage('--mix store needs --entries-per-second');
          const result = await runStoreMix({
            ...connector,
            storeId: o.store,
            entriesPerSecond: o.entriesPerSecond,
            durationSeconds: o.duration,
            purchaseDelayMs: o.purchaseDelay,
            drainMs: o.drain,
            gateP99TargetMs: o.gateP99Target,
            log: say,
          });
          process.stdout.write(`${formatStoreMix(result)}\n`);
          await recordStoreMixResult(connector, result);
          if (!result.targets.met) process.exitCode = 1;
          return;
        }
        if (storeOnly.length)
          return usage(`${storeOnly.map(flag).join(', ')} ${storeOnly.length > 1 ? 'need' : 'needs'} --mix store`);
        const result = await runLoadTest({
          ...connector,
          storeId: o.store,
          ratePerSecond: o.rate,
          durationSeconds: o.duration,
          purchaseRatio: o.purchaseRatio,
          log: say,
        });
        process.stdout.write(`${formatLoadTest(result)}\n`);
        await recordLoadTestResult(connector, result);
        if (!result.verdict.held || !result.clean) process.exitCode = 1;
      }),
    );
}

interface LoadTestFlags {
  mix?: string;
  rate: number;
  duration: number;
  purchaseRatio: number;
  entriesPerSecond?: number;
  purchaseDelay?: number;
  drain?: number;
  gateP99Target?: number;
  api?: string;
  store: string;
}

/** --entries-per-second from entriesPerSecond. */
const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function usage(message: string): void {
  say(`Error: ${message}`);
  process.exitCode = 1;
}

/** A duration flag in milliseconds: "500ms", "3s", "1m", or a bare number in `bareUnit`. */
function duration(bareUnit: 'ms' | 's') {
  return (value: string): number => {
    try {
      return parseDuration(value, bareUnit);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}
