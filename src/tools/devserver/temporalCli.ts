/**
 * Finds or builds the official `temporal` CLI (dev server + web UI). No npm package ships a
 * Temporal server, so every command that needs one (npm start, the test suite, the CLI) goes
 * through `ensureTemporalCli()`, in this order:
 *   1. $TEMPORAL_CLI;
 *   2. a `temporal` on PATH whose version is supported;
 *   3. a binary cached by an earlier run (~/.cache/jwo-connector, or $XDG_CACHE_HOME);
 *   4. `CGO_ENABLED=0 go install github.com/temporalio/cli/cmd/temporal@<tag>` where Go is installed
 *      (takes minutes the first time; progress is printed);
 *   5. the official release archive, for machines with internet access.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, accessSync, constants } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../../startup';
import { goInstallCached } from './goInstall';

const execFileAsync = promisify(execFile);

/** Tags tried in order. v1.5.1 is the newest that `go install` builds (later tags carry a `replace` directive). */
export const CLI_TAGS = ['v1.5.1', 'v1.4.1', 'v1.3.0'] as const;
const MIN_SUPPORTED = [1, 3, 0];

export class TemporalCliError extends StartupError {
  constructor(message: string) {
    super(message);
    this.name = 'TemporalCliError';
  }
}

type Log = (line: string) => void;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'jwo-connector');
}

export async function cliVersion(path: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 15_000 });
    return /(\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** `go install` builds report 0.0.0 (no version is stamped in): those are source builds of a tag, accepted. */
function isSupported(version: string): boolean {
  if (version === '0.0.0') return true;
  const parts = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i] !== MIN_SUPPORTED[i]) return parts[i] > MIN_SUPPORTED[i];
  }
  return true;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

function cachedBinary(env: NodeJS.ProcessEnv): string | null {
  for (const tag of CLI_TAGS) {
    const candidate = join(cacheDir(env), `temporal-${tag}`, 'temporal');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Runs `go install` for one tag and caches the binary. */
async function goInstall(tag: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  return goInstallCached({
    go: 'go',
    pkg: 'github.com/temporalio/cli/cmd/temporal',
    tag,
    binary: 'temporal',
    targetDir: join(cacheDir(env), `temporal-${tag}`),
    what: `the Temporal CLI ${tag}`,
    expected: 'this takes several minutes',
    env,
    log,
    // A spawn failure (no Go) passes through as it is: the caller tells it apart from a failed build.
    failure: (message, cause) => cause ?? new TemporalCliError(message),
  });
}

/** The official release archive, for users with internet access. */
async function download(tag: string, env: NodeJS.ProcessEnv, log: Log): Promise<string> {
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const url = `https://temporal.download/cli/archive/${tag}?platform=${process.platform}&arch=${arch}`;
  log(`Downloading the Temporal CLI ${tag}…`);
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok) throw new TemporalCliError(`download of ${url} answered ${response.status}`);
  const archive = join(tmpdir(), `temporal-${tag}-${process.pid}.tar.gz`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  const target = join(cacheDir(env), `temporal-${tag}`);
  mkdirSync(target, { recursive: true });
  await execFileAsync('tar', ['-xzf', archive, '-C', target, 'temporal']);
  rmSync(archive, { force: true });
  return join(target, 'temporal');
}

/** Returns the path of a usable `temporal` CLI, building or downloading it if needed. */
export async function ensureTemporalCli(options: { env?: NodeJS.ProcessEnv; log?: Log } = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  if (env.TEMPORAL_CLI) {
    if (!(await cliVersion(env.TEMPORAL_CLI))) {
      throw new TemporalCliError(
        `TEMPORAL_CLI=${env.TEMPORAL_CLI} is not a working temporal CLI (\`${env.TEMPORAL_CLI} --version\` failed).`,
      );
    }
    return env.TEMPORAL_CLI;
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) {
    const version = await cliVersion(fromPath);
    if (version && isSupported(version)) return fromPath;
  }
  const cached = cachedBinary(env);
  if (cached && (await cliVersion(cached))) return cached;

  const failures: string[] = [];
  if (onPath('go', env)) {
    for (const tag of CLI_TAGS) {
      try {
        return await goInstall(tag, env, log);
      } catch (err) {
        failures.push(`go install ${tag}: ${(err as Error).message.split('\n').slice(-3).join(' ')}`);
        log(`Building ${tag} failed; trying the next tag.`);
      }
    }
  } else {
    failures.push('Go is not installed, so the CLI cannot be built here');
  }
  try {
    return await download(CLI_TAGS[0], env, log);
  } catch (err) {
    failures.push(`download: ${(err as Error).message}`);
  }
  throw new TemporalCliError(
    [
      'No Temporal CLI is available and none could be built or downloaded:',
      ...failures.map((f) => `  - ${f}`),
      'Fix one of: install Go (https://go.dev/dl) and run again; put a `temporal` CLI (>= 1.3) on PATH;',
      'set TEMPORAL_CLI to its path; or set TEMPORAL_ADDRESS to a running Temporal server.',
    ].join('\n'),
  );
}
