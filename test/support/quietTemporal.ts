/** Only warnings and errors from the Temporal SDK's workers in test output. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Installed already in this jest worker.
}
