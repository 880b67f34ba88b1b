import { ConfigError } from '../config';
import { DatabaseUnavailableError } from '../adapters/db/database';
import { TemporalCliError } from '../devserver/temporalCli';

/** Known start-up failures print one clear message; anything else prints its stack too. */
export function exitWithMessage(err: unknown): never {
  const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError || err instanceof TemporalCliError || (err as Error)?.name === 'OpsError' || /already in use/.test((err as Error)?.message ?? '');
  process.stderr.write(`\nError: ${(err as Error)?.message ?? String(err)}\n`);
  if (!known && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
}
