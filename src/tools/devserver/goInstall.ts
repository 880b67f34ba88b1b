/**
 * `CGO_ENABLED=0 go install <package>@<tag>` into a staging GOBIN, then the binary moved into the
 * cache (so a half-built binary is never found), with a progress line every 30 s: how the Temporal
 * CLI, stripe-mock and the cluster's Temporal server, SQL tool and UI are built where Go is present.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './temporalCli';

type Log = (line: string) => void;

export interface GoBuild {
  /** The `go` binary to run (a path, or `go` on PATH). */
  go: string;
  /** The package path and version tag, e.g. github.com/stripe/stripe-mock and v0.203.0. */
  pkg: string;
  tag: string;
  /** The file `go install` writes, and the directory of the cache it is moved into. */
  binary: string;
  targetDir: string;
  /** For the progress lines: "the Temporal CLI v1.5.1", and how long a first build takes. */
  what: string;
  expected: string;
  env: NodeJS.ProcessEnv;
  log: Log;
  /** The error a failed build (or a spawn failure such as no Go) becomes. */
  failure(message: string, cause?: NodeJS.ErrnoException): Error;
}

/** Builds the binary and returns its path in the cache. */
export async function goInstallCached(build: GoBuild): Promise<string> {
  const staging = join(cacheDir(build.env), `.staging-${build.binary}-${build.tag}-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  build.log(`Building ${build.what} with Go (first run only; ${build.expected})…`);
  const started = Date.now();
  const ticker = setInterval(
    () => build.log(`  …still building ${build.what} (${Math.round((Date.now() - started) / 1000)} s)`),
    30_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(build.go, ['install', `${build.pkg}@${build.tag}`], {
        env: { ...build.env, CGO_ENABLED: '0', GOBIN: staging, GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-4000);
      });
      child.on('error', (err: NodeJS.ErrnoException) => reject(build.failure(err.message, err)));
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(build.failure(`go install ${build.pkg}@${build.tag} failed:\n${stderr}`)),
      );
    });
    mkdirSync(build.targetDir, { recursive: true });
    const target = join(build.targetDir, build.binary);
    renameSync(join(staging, build.binary), target);
    build.log(`${build.what} built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${target}`);
    return target;
  } finally {
    clearInterval(ticker);
    rmSync(staging, { recursive: true, force: true });
  }
}
