/**
 * The cluster's Go programs, provisioned like the Temporal CLI (../devserver/temporalCli.ts): each
 * is built once with `CGO_ENABLED=0 go install <module>/<cmd>@<tag>` into its own directory of the
 * cache (~/.cache/jwo-connector, or $XDG_CACHE_HOME), with progress printed while it builds, and
 * reused afterwards. No npm package ships these, and the release archives are not needed: the Go
 * module proxy is enough.
 *
 *   - the Temporal server, go.temporal.io/server/cmd/server@v1.29.1 (binary `server`; minutes);
 *   - its SQL schema tool, go.temporal.io/server/cmd/tools/sql@v1.29.1 (binary `sql`);
 *   - the Temporal web UI, github.com/temporalio/ui-server/v2/cmd/server@v2.42.1 (binary `server`,
 *     in a directory of its own; v2.42.1 declares go 1.24 and no replace directive).
 *
 * The server's module source (`go mod download -json`) provides the PostgreSQL schemas.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { StartupError } from '../../startup';
import { goInstallCached } from '../devserver/goInstall';
import { cacheDir } from '../devserver/temporalCli';

const execFileAsync = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_UI_VERSION = 'v2.42.1';

export interface GoProgram {
  /** For messages: "the Temporal server". */
  what: string;
  /** `go install` package path, without the tag. */
  pkg: string;
  tag: string;
  /** Name of the binary go install writes. */
  binary: string;
  /** Directory under the cache dir. */
  dir: string;
}

export const TEMPORAL_SERVER: GoProgram = {
  what: 'the Temporal server',
  pkg: 'go.temporal.io/server/cmd/server',
  tag: TEMPORAL_SERVER_VERSION,
  binary: 'server',
  dir: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
};

export const TEMPORAL_SQL_TOOL: GoProgram = {
  what: "the Temporal server's SQL tool",
  pkg: 'go.temporal.io/server/cmd/tools/sql',
  tag: TEMPORAL_SERVER_VERSION,
  binary: 'sql',
  dir: `temporal-sql-${TEMPORAL_SERVER_VERSION}`,
};

export const TEMPORAL_UI_SERVER: GoProgram = {
  what: 'the Temporal web UI',
  pkg: 'github.com/temporalio/ui-server/v2/cmd/server',
  tag: TEMPORAL_UI_VERSION,
  binary: 'server',
  dir: `temporal-ui-server-${TEMPORAL_UI_VERSION}`,
};

export class ClusterToolError extends StartupError {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterToolError';
  }
}

type Log = (line: string) => void;

function goOnPath(env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'go');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

function requireGo(program: GoProgram, env: NodeJS.ProcessEnv): string {
  const go = goOnPath(env);
  if (go) return go;
  throw new ClusterToolError(
    [
      `${program.what} (${program.pkg}@${program.tag}) is not built yet, and Go is not installed, so it cannot be built here.`,
      'Install Go ≥ 1.24 (https://go.dev/dl) and run `npm run cluster` again: the first run builds it',
      `with \`CGO_ENABLED=0 go install ${program.pkg}@${program.tag}\` and caches it in ${join(cacheDir(env), program.dir)}.`,
    ].join('\n'),
  );
}

export function cachedProgramPath(program: GoProgram, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), program.dir, program.binary);
}

/** The cached binary, or builds it (progress printed every 30 s) into a staging directory and moves it into the cache. */
export async function ensureGoProgram(
  program: GoProgram,
  options: { env?: NodeJS.ProcessEnv; log?: Log } = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const target = cachedProgramPath(program, env);
  if (existsSync(target)) return target;
  const go = requireGo(program, env);
  return goInstallCached({
    go,
    pkg: program.pkg,
    tag: program.tag,
    binary: program.binary,
    targetDir: join(cacheDir(env), program.dir),
    what: `${program.what} ${program.tag}`,
    expected: program === TEMPORAL_SERVER ? 'about 5–12 minutes on 2 cores' : 'a minute or so',
    env,
    log,
    failure: (message, cause) => cause ?? new ClusterToolError(message),
  });
}

/** The Temporal server's module source (schemas, example configs), downloaded through the Go module proxy if needed. */
export async function temporalServerSource(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!goOnPath(env)) {
    // Binaries cached, Go gone: the module cache of the build may still hold the schemas.
    const modCache = env.GOMODCACHE || join(env.GOPATH || join(homedir(), 'go'), 'pkg', 'mod');
    const cached = join(modCache, 'go.temporal.io', `server@${TEMPORAL_SERVER_VERSION}`);
    if (existsSync(join(cached, 'schema', 'postgresql', 'v12'))) return cached;
  }
  const go = requireGo(TEMPORAL_SERVER, env);
  const { stdout } = await execFileAsync(
    go,
    ['mod', 'download', '-json', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`],
    {
      env: { ...env, GOFLAGS: '-mod=mod' },
      timeout: 10 * 60_000,
      maxBuffer: 4 * 1024 * 1024,
      // Outside any module: `go mod download` needs no go.mod for an explicit module@version.
      cwd: cacheDir(env),
    },
  ).catch((err: Error & { stderr?: string }) => {
    throw new ClusterToolError(
      `go mod download go.temporal.io/server@${TEMPORAL_SERVER_VERSION} failed: ${err.stderr ?? err.message}`,
    );
  });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  if (!dir || !existsSync(join(dir, 'schema', 'postgresql', 'v12'))) {
    throw new ClusterToolError(`the Temporal server's module source has no PostgreSQL schemas (Dir: ${dir})`);
  }
  return dir;
}
