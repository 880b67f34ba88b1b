/**
 * What every process (API, worker, the `jwo` commands) shares at start-up: one kind of error that
 * means "a clear message is enough" (a bad setting, a port in use, a database that cannot be
 * reached), the exit that prints it, and the port check that produces one.
 */
import { createServer } from 'node:net';

/** A start-up failure the user can fix from its message alone: printed without a stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Known start-up failures print one clear message; anything else prints its stack too. */
export function exitWithMessage(err: unknown): never {
  process.stderr.write(`\nError: ${(err as Error)?.message ?? String(err)}\n`);
  if (!(err instanceof StartupError) && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
}

/** Fails fast with a clear message when a port this process is about to use is taken. */
export async function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new StartupError(`Port ${port} (${what}) is already in use: stop what uses it or choose another port.`)
          : err,
      ),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
