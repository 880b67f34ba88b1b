/**
 * Browser tests drive Debian's `chromium` package (playwright-core never downloads a browser here:
 * the network only reaches package registries). Installs it with apt-get when it is missing, which
 * works where the tests run as root (developers' machines and CI); anywhere else it fails saying
 * how to install it, never skipping the browser tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags Chromium needs as root, headless, without a GPU and without a network to phone home to. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function apt(args: string[]): void {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 15 * 60_000,
  });
}

/** Returns the path of the chromium binary, installing the package first if needed. */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const howTo = 'install it with `apt-get update && apt-get install -y chromium` (as root)';
  if (process.getuid?.() !== 0)
    throw new Error(`${CHROMIUM_PATH} is missing and these tests do not run as root: ${howTo}.`);
  log(
    'chromium is missing: installing the Debian package (apt-get update && apt-get install -y chromium); this takes a minute or two…',
  );
  try {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'chromium']);
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-3).join(' | ');
    throw new Error(`could not install chromium with apt-get (${stderr || (err as Error).message}): ${howTo}.`, {
      cause: err,
    });
  }
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing: ${howTo}.`);
  return CHROMIUM_PATH;
}
