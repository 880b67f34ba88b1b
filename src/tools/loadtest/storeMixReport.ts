/**
 * The store mix's report and its targets (pure): what the gate and Create Purchases answered, how
 * long purchases took to reach their final status, what was left undone, and which target was missed.
 */
import { endpointReport, gateVerdict, type EndpointReport, type GateVerdict, type Outcome } from './endpointReport';
import { summarizeLatencies, type LatencySummary } from './latencyStats';
import type { Completion } from './storeMix';

export const DEFAULT_GATE_P99_TARGET_MS = 100;

export interface StatusReport extends EndpointReport {
  /** Every request by status ("200", "401", "503") or failure ("timeout", "network"): they add up to `requests`. */
  byStatus: Record<string, number>;
  serverErrors: number;
  /** Timeouts and network failures: no answer at all. */
  unanswered: number;
}

export function statusReport(outcomes: readonly Outcome[]): StatusReport {
  const byStatus: Record<string, number> = {};
  for (const outcome of outcomes) {
    const key = 'failure' in outcome ? outcome.failure : String(outcome.status);
    byStatus[key] = (byStatus[key] ?? 0) + 1;
  }
  const serverErrors = Object.entries(byStatus)
    .filter(([key]) => /^5\d\d$/.test(key))
    .reduce((n, [, count]) => n + count, 0);
  return {
    ...endpointReport(outcomes),
    byStatus,
    serverErrors,
    unanswered: (byStatus.timeout ?? 0) + (byStatus.network ?? 0),
  };
}

export interface CompletionReport {
  /** Create Purchases answered 201: each must reach a final status. */
  taken: number;
  completed: number;
  completedInRun: number;
  completedInDrain: number;
  /** From the 201 to the final status. */
  latency: LatencySummary;
  /** Completed purchases by final status (CAPTURED, DEBT, FAILED…). */
  byStatus: Record<string, number>;
  /** 201s not completed when the load stopped, and when the drain ended. */
  backlogAtRunEnd: number;
  backlogAtDrainEnd: number;
  /** How long the drain lasted: it ends early once every 201 has completed. */
  drainedMs: number;
}

export interface TargetCheck {
  met: boolean;
  missed: string[];
}

export interface StoreMixResult {
  mix: 'store';
  startedAt: string;
  entriesPerSecond: number;
  durationSeconds: number;
  purchaseDelayMs: number;
  drainMs: number;
  gateP99TargetMs: number;
  /** How many shoppers the codes were issued for (reused cyclically past that). */
  shoppers: number;
  gate: StatusReport;
  purchases: StatusReport;
  completion: CompletionReport;
  /** How late this process sent its requests (scans and purchases); the latencies include it. */
  sendLag: LatencySummary;
  /** Amazon's 2-second budget, as the plain load test records it. */
  verdict: GateVerdict;
  targets: TargetCheck;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** What makes `jwo loadtest --mix store` exit 1, each missed target named. */
export function storeMixTargets(r: {
  gate: StatusReport;
  purchases: StatusReport;
  completion: Pick<CompletionReport, 'backlogAtDrainEnd'>;
  gateP99TargetMs: number;
  drainMs: number;
}): TargetCheck {
  const missed: string[] = [];
  if (r.gate.requests === 0) missed.push('gate: no scan was sent');
  if (r.gate.serverErrors) missed.push(`no gate 5xx: ${r.gate.serverErrors} scan(s) answered 5xx`);
  if (r.gate.unanswered)
    missed.push(`every gate scan answered: ${r.gate.unanswered} got no answer (timeout or network)`);
  const p99 = r.gate.latency.p99;
  if (p99 !== null && p99 > r.gateP99TargetMs)
    missed.push(`gate p99 within ${r.gateP99TargetMs} ms: it was ${p99.toFixed(1)} ms`);
  if (r.completion.backlogAtDrainEnd)
    missed.push(
      `every purchase completed: ${r.completion.backlogAtDrainEnd} answered 201 still not final at the end of the ${seconds(r.drainMs)} drain`,
    );
  // Amazon retries these, but a run where purchases fail to be taken has not carried the load.
  const purchaseFailures = r.purchases.serverErrors + r.purchases.unanswered;
  if (purchaseFailures) missed.push(`no purchase 5xx: ${purchaseFailures} Create Purchases answered 5xx or not at all`);
  return { met: missed.length === 0, missed };
}

export function storeMixResult(input: {
  startedAt: string;
  entriesPerSecond: number;
  durationSeconds: number;
  purchaseDelayMs: number;
  drainMs: number;
  gateP99TargetMs: number;
  shoppers: number;
  gateOutcomes: readonly Outcome[];
  purchaseOutcomes: readonly Outcome[];
  taken: number;
  completions: readonly Completion[];
  backlogAtRunEnd: number;
  backlogAtDrainEnd: number;
  drainedMs: number;
  sendLagsMs: readonly number[];
}): StoreMixResult {
  const gate = statusReport(input.gateOutcomes);
  const purchases = statusReport(input.purchaseOutcomes);
  const byStatus: Record<string, number> = {};
  for (const c of input.completions) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const completion: CompletionReport = {
    taken: input.taken,
    completed: input.completions.length,
    completedInRun: input.completions.filter((c) => c.phase === 'run').length,
    completedInDrain: input.completions.filter((c) => c.phase === 'drain').length,
    latency: summarizeLatencies(input.completions.map((c) => c.latencyMs)),
    byStatus,
    backlogAtRunEnd: input.backlogAtRunEnd,
    backlogAtDrainEnd: input.backlogAtDrainEnd,
    drainedMs: input.drainedMs,
  };
  return {
    mix: 'store',
    startedAt: input.startedAt,
    entriesPerSecond: input.entriesPerSecond,
    durationSeconds: input.durationSeconds,
    purchaseDelayMs: input.purchaseDelayMs,
    drainMs: input.drainMs,
    gateP99TargetMs: input.gateP99TargetMs,
    shoppers: input.shoppers,
    gate,
    purchases,
    completion,
    sendLag: summarizeLatencies(input.sendLagsMs),
    verdict: gateVerdict(gate),
    targets: storeMixTargets({
      gate,
      purchases,
      completion,
      gateP99TargetMs: input.gateP99TargetMs,
      drainMs: input.drainMs,
    }),
  };
}

const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} ms`);
const latencies = (l: LatencySummary) => `p50 ${ms(l.p50)}  p95 ${ms(l.p95)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`;
const counts = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key}×${n}`)
    .join(' ') || 'none';

export function formatStoreMix(r: StoreMixResult): string {
  const c = r.completion;
  const entries = r.gate.requests;
  return [
    `Load test, store mix: ${r.entriesPerSecond} entries/s for ${r.durationSeconds} s (${entries} entries, ${r.shoppers} shoppers), purchase ${seconds(r.purchaseDelayMs)} after entry, drain up to ${seconds(r.drainMs)}; started ${r.startedAt}`,
    `  gate scans         ${String(entries).padStart(6)} sent  ${latencies(r.gate.latency)}  statuses: ${counts(r.gate.byStatus)}  5xx: ${r.gate.serverErrors}`,
    `  purchases          ${String(r.purchases.requests).padStart(6)} sent  ${latencies(r.purchases.latency)}  statuses: ${counts(r.purchases.byStatus)}  5xx: ${r.purchases.serverErrors}`,
    `  completion         ${String(c.completed).padStart(6)} of ${c.taken} 201s final (${c.completedInRun} within the run, ${c.completedInDrain} in the drain)  ${latencies(c.latency)}  final: ${counts(c.byStatus)}`,
    `  backlog            ${c.backlogAtRunEnd} not final when the load stopped, ${c.backlogAtDrainEnd} at the end of the drain (${seconds(c.drainedMs)})`,
    r.targets.met
      ? `  targets            met: gate p99 within ${r.gateP99TargetMs} ms, no gate 5xx, every 201 final by the end of the drain`
      : `  targets            MISSED: ${r.targets.missed.join('; ')}`,
    `  send lag           p99 ${ms(r.sendLag.p99)}, max ${ms(r.sendLag.max)} (how late this process sent; included in the latencies)`,
  ].join('\n');
}
