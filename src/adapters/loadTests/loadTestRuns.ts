/** Results of `jwo loadtest` runs, kept so the latest measured gate latency can be looked up later. */
import type { Queryable } from '../db/database';

export interface LoadTestRun {
  runId: number;
  startedAt: Date;
  ratePerSecond: number;
  durationSeconds: number;
  gateP99Ms: number | null;
  budgetHeld: boolean;
  result: unknown;
  recordedAt: Date;
}

export type NewLoadTestRun = Omit<LoadTestRun, 'runId' | 'recordedAt'>;

function toRun(row: any): LoadTestRun {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    ratePerSecond: row.rate_per_second,
    durationSeconds: row.duration_seconds,
    gateP99Ms: row.gate_p99_ms,
    budgetHeld: row.budget_held,
    result: row.result,
    recordedAt: row.recorded_at,
  };
}

export async function recordLoadTestRun(db: Queryable, run: NewLoadTestRun): Promise<LoadTestRun> {
  const [row] = await db.query(
    `INSERT INTO load_test_runs (started_at, rate_per_second, duration_seconds, gate_p99_ms, budget_held, result) VALUES ($1, $2, $3, $4, $5, $6::jsonb) RETURNING *`,
    [run.startedAt, run.ratePerSecond, run.durationSeconds, run.gateP99Ms, run.budgetHeld, JSON.stringify(run.result)],
  );
  return toRun(row);
}

export async function latestLoadTestRun(db: Queryable): Promise<LoadTestRun | null> {
  const [row] = await db.query('SELECT * FROM load_test_runs ORDER BY recorded_at DESC, run_id DESC LIMIT 1');
  return row ? toRun(row) : null;
}
