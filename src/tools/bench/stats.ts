import { cpus, totalmem } from 'node:os';

import { summarizeLatencies } from '../loadtest/latencyStats';

/** Percentiles (nearest rank, the load test's own definition) as plain numbers for printing. */
export function summarize(durationsMs: number[]): {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const s = summarizeLatencies(durationsMs);
  return { count: s.count, p50: s.p50 ?? NaN, p95: s.p95 ?? NaN, p99: s.p99 ?? NaN, max: s.max ?? NaN };
}

/** Runs `task` `total` times with at most `concurrency` in flight; returns each call's duration and the wall time. */
export async function drive(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ durationsMs: number[]; wallMs: number }> {
  const durationsMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        durationsMs.push(performance.now() - t0);
      }
    }),
  );
  return { durationsMs, wallMs: performance.now() - started };
}

export function machineLine(): string {
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`;
}
