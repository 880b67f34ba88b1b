/** What the route modules share: the resolved options and the simulator's moving parts. */
import type { CatalogSimulatorFaults } from './faults';
import type { FinalStateWatcher } from './finalStateWatcher';
import type { IngestionStore } from './ingestions';
import type { RateLimiter } from './rateLimiter';
import type { ReportLinkSigner } from './reportLinks';
import type { SigV4Expectations } from './sigv4Verifier';
import type { SnsPublisher } from './snsPublisher';
import type { KnownStore } from './uploadValidation';

export interface SimulatorContext {
  now: () => number;
  stores: readonly KnownStore[];
  maxItemsPerRequest: number;
  maxBodyBytes: number;
  sigv4: SigV4Expectations;
  uploadRateLimiter: RateLimiter;
  faults: CatalogSimulatorFaults;
  ingestions: IngestionStore;
  reportLinks: ReportLinkSigner;
  watcher: FinalStateWatcher;
  publisher: SnsPublisher | undefined;
  /** The configured public URL, else the origin the request came in on. */
  baseUrlFor(requestOrigin: string): string;
}
