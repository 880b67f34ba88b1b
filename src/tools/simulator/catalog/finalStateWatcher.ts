/**
 * Notices when an ingestion reaches a final state and reports it once. Statuses are derived from
 * the clock (see ingestions.ts), so instead of one timer per ingestion a short sweep runs while
 * some ingestion is still processing; it also honours a test clock moved by hand.
 */
import { isFinal, type Ingestion, type IngestionStore, type ProcessingStatus } from './ingestions';

export interface FinalStateWatcherSettings {
  ingestions: IngestionStore;
  now: () => number;
  intervalMs: number;
  /** Whether final states can be reported yet (the simulator knows its public URL). */
  ready: () => boolean;
  onFinal: (ingestion: Ingestion, status: ProcessingStatus) => Promise<void>;
}

export class FinalStateWatcher {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly settings: FinalStateWatcherSettings) {}

  watch(ingestionId: string): void {
    this.pending.add(ingestionId);
    this.timer ??= setInterval(() => void this.sweep(), this.settings.intervalMs).unref();
  }

  /** Reports every watched ingestion that is final now. */
  async sweep(): Promise<void> {
    if (!this.settings.ready()) return;
    const reports: Promise<void>[] = [];
    for (const ingestionId of this.pending) {
      const ingestion = this.settings.ingestions.get(ingestionId);
      if (!ingestion) continue;
      const status = this.settings.ingestions.statusAt(ingestion, this.settings.now());
      if (!isFinal(status)) continue;
      // Removed before reporting so an overlapping sweep cannot report it twice.
      this.pending.delete(ingestionId);
      reports.push(this.settings.onFinal(ingestion, status));
    }
    if (this.pending.size === 0) this.stop();
    await Promise.all(reports);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
