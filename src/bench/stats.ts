import { cpus, totalmem } from 'node:os';

/** Figures for benchmark output: percentiles (nearest rank) and a fixed-width line. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const rank = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[rank];
}

export function summarize(durationsMs: number[]): { count: number; p50: number; p95: number; p99: number; max: number } {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

/** Runs `task` `total` times with at most `concurrency` in flight; returns each call's duration and the wall time. */
export async function drive(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ durationsMs: number[]; wallMs: number }> {
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

export const ms = (v: number) => `${v.toFixed(1)} ms`;

export function machineLine(): string {
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`;
}
