/** The load test's result as printed by `jwo loadtest`. */
import type { EndpointReport } from './endpointReport';
import { GATE_BUDGET_MS } from './endpointReport';
import type { LoadTestResult } from './runLoadTest';

const ms = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} ms`);

function endpointLine(name: string, r: EndpointReport): string {
  const errors =
    Object.entries(r.errors)
      .map(([key, n]) => `${key}×${n}`)
      .join(' ') || 'none';
  return `  ${name.padEnd(18)} ${String(r.requests).padStart(6)} sent  p50 ${ms(r.latency.p50)}  p95 ${ms(r.latency.p95)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}  errors: ${errors}`;
}

export function formatLoadTest(result: LoadTestResult): string {
  const lines = [
    `Load test: ${result.ratePerSecond}/s for ${result.durationSeconds} s (purchase ratio ${result.purchaseRatio}), started ${result.startedAt}`,
    endpointLine('identity-keys', result.gate),
    endpointLine('purchases', result.purchases),
    result.verdict.held
      ? `  gate budget        held: p99 under ${GATE_BUDGET_MS} ms, no 5xx`
      : `  gate budget        NOT held: ${result.verdict.reasons.join('; ')}`,
    `  errors             ${result.clean ? 'none' : 'some requests were refused or failed (see above)'}`,
    `  send lag           p99 ${ms(result.sendLag.p99)}, max ${ms(result.sendLag.max)} (how late this process sent; included in the latencies)`,
  ];
  return lines.join('\n');
}
