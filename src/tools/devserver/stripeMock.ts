/**
 * stripe-mock, Stripe's official mock of its API (https://github.com/stripe/stripe-mock), for the
 * tests of the Stripe gateway. Found or built like the Temporal CLI (temporalCli.ts):
 *   1. $STRIPE_MOCK (a path to the binary);
 *   2. a binary cached by an earlier run (~/.cache/jwo-connector/stripe-mock-<tag>/stripe-mock);
 *   3. `CGO_ENABLED=0 go install github.com/stripe/stripe-mock@<tag>` where Go is installed
 *      (a minute or two the first time; progress is printed), cached for later runs.
 * stripe-mock keeps no state: it validates each request against Stripe's OpenAPI spec and answers
 * a canned object of the right type.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { goInstallCached } from './goInstall';
import { cacheDir, TemporalCliError } from './temporalCli';

export const STRIPE_MOCK_TAG = 'v0.203.0';

type Log = (line: string) => void;

export class StripeMockError extends TemporalCliError {
  constructor(message: string) {
    super(message);
    this.name = 'StripeMockError';
  }
}

async function goInstall(env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  return goInstallCached({
    go: 'go',
    pkg: 'github.com/stripe/stripe-mock',
    tag: STRIPE_MOCK_TAG,
    binary: 'stripe-mock',
    targetDir: join(cacheDir(env), `stripe-mock-${STRIPE_MOCK_TAG}`),
    what: `stripe-mock ${STRIPE_MOCK_TAG}`,
    expected: 'this takes a minute or two',
    env,
    log,
    failure: (message, cause) =>
      cause?.code === 'ENOENT'
        ? new StripeMockError(
            `stripe-mock is not built yet and Go is not installed: install Go (https://go.dev/dl/), or build it elsewhere with \`CGO_ENABLED=0 go install github.com/stripe/stripe-mock@${STRIPE_MOCK_TAG}\` and set STRIPE_MOCK to the binary`,
          )
        : (cause ?? new StripeMockError(message)),
  });
}

/** The path of a stripe-mock binary, building it (once) if needed. */
export async function ensureStripeMock(options: { env?: NodeJS.ProcessEnv; log?: Log } = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (env.STRIPE_MOCK) {
    if (!existsSync(env.STRIPE_MOCK)) throw new StripeMockError(`STRIPE_MOCK=${env.STRIPE_MOCK} does not exist`);
    return env.STRIPE_MOCK;
  }
  const cached = join(cacheDir(env), `stripe-mock-${STRIPE_MOCK_TAG}`, 'stripe-mock');
  if (existsSync(cached)) return cached;
  return goInstall(env, log);
}

export interface RunningStripeMock {
  /** e.g. http://127.0.0.1:41234: STRIPE_API_BASE for the connector. */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts stripe-mock on free ports of 127.0.0.1 and resolves once it listens. */
export async function startStripeMock(path: string, timeoutMs = 60_000): Promise<RunningStripeMock> {
  const child = spawn(path, ['-http-addr', '127.0.0.1:', '-https-addr', '127.0.0.1:'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new StripeMockError(`stripe-mock did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      const match = /Listening for HTTP at address: (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(`http://${match[1]}`);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new StripeMockError(`stripe-mock exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
