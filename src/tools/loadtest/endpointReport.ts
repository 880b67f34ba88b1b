/**
 * What each endpoint did during a load test, and the verdict on the gate (pure). Amazon gives the
 * gate 2 seconds (jwo-api.md §1.4); past that, or on a 5xx, the gate falls back to the store's
 * default, so the budget holds only with p99 under 2 s and no 5xx or unanswered scans.
 */
import { summarizeLatencies, type LatencySummary } from './latencyStats';

export const GATE_BUDGET_MS = 2000;

/** One request's fate: the HTTP status it got, or why it got none. */
export type Outcome = { status: number; latencyMs: number } | { failure: 'timeout' | 'network'; latencyMs: number };

export interface EndpointReport {
  requests: number;
  succeeded: number;
  /** By status code ("401", "429", "500") or failure ("timeout", "network"). */
  errors: Record<string, number>;
  /** Over answered requests, whatever the status. */
  latency: LatencySummary;
}

export function endpointReport(outcomes: readonly Outcome[]): EndpointReport {
  const errors: Record<string, number> = {};
  let succeeded = 0;
  for (const outcome of outcomes) {
    const key =
      'failure' in outcome
        ? outcome.failure
        : outcome.status >= 200 && outcome.status < 300
          ? null
          : String(outcome.status);
    if (key === null) succeeded++;
    else errors[key] = (errors[key] ?? 0) + 1;
  }
  const answered = outcomes.filter((o) => 'status' in o).map((o) => o.latencyMs);
  return { requests: outcomes.length, succeeded, errors, latency: summarizeLatencies(answered) };
}

export interface GateVerdict {
  held: boolean;
  reasons: string[];
}

export function gateVerdict(gate: EndpointReport, budgetMs = GATE_BUDGET_MS): GateVerdict {
  const reasons: string[] = [];
  if (gate.requests === 0) reasons.push('no gate scans were sent');
  if (gate.latency.p99 !== null && gate.latency.p99 >= budgetMs)
    reasons.push(`gate p99 ${gate.latency.p99.toFixed(0)} ms is not under ${budgetMs} ms`);
  const serverErrors = Object.entries(gate.errors)
    .filter(([key]) => /^5\d\d$/.test(key))
    .reduce((n, [, count]) => n + count, 0);
  if (serverErrors) reasons.push(`${serverErrors} gate scan(s) answered 5xx`);
  const unanswered = (gate.errors.timeout ?? 0) + (gate.errors.network ?? 0);
  if (unanswered) reasons.push(`${unanswered} gate scan(s) got no answer`);
  return { held: reasons.length === 0, reasons };
}
