/**
 * The outbox of workflow starts: what Amazon's answer promises (an entry's pre-auth, a purchase's
 * capture) is committed to the database in the same transaction as the decision, so the answer
 * depends on the database alone. The start itself is made right away in the background
 * (`WorkflowStarter`; a request may wait for it a short budget); when it fails, the relay (`relayWorkflowStarts`, run by every worker) starts it later,
 * keyed by the same workflow id, so it happens once however many times it is tried.
 */
import type { Client } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Queryable } from '../db/database';
import { startOnce, type StartOnceOptions, type WorkflowName } from './startOnce';

export interface WorkflowStart<N extends WorkflowName = WorkflowName> {
  workflowType: N;
  workflowId: string;
  taskQueue: string;
  args: StartOnceOptions<N>['args'];
  /** Keyword search attributes by name (StoreId, ShopperId, TripId, PurchaseStatus). */
  searchAttributes: Record<string, string>;
}

/** Records a start in the caller's transaction; a start already recorded for the id is kept as it was. */
export async function enqueueWorkflowStart(tx: Queryable, start: WorkflowStart): Promise<void> {
  // Due for the relay only after the request's own attempt has had its chance.
  await tx.query(
    `INSERT INTO workflow_starts (workflow_id, workflow_type, task_queue, args, search_attributes, next_attempt_at)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, now() + interval '5 seconds') ON CONFLICT (workflow_id) DO NOTHING`,
    [
      start.workflowId,
      start.workflowType,
      start.taskQueue,
      JSON.stringify(start.args),
      JSON.stringify(start.searchAttributes),
    ],
  );
}

/** Whether the recorded start for this workflow id has been made (null: none recorded). */
export async function workflowStarted(db: Queryable, workflowId: string): Promise<boolean | null> {
  const [row] = await db.query<{ started: boolean }>(
    'SELECT started_at IS NOT NULL AS started FROM workflow_starts WHERE workflow_id = $1',
    [workflowId],
  );
  return row ? row.started : null;
}

async function start(temporal: Client, s: WorkflowStart): Promise<void> {
  await startOnce(temporal, s.workflowType, {
    taskQueue: s.taskQueue,
    workflowId: s.workflowId,
    args: s.args,
    typedSearchAttributes: Object.entries(s.searchAttributes).map(([name, value]) => ({
      key: defineSearchAttributeKey(name, SearchAttributeType.KEYWORD),
      value,
    })),
  } as StartOnceOptions<WorkflowName>);
}

/**
 * Makes one recorded start, giving Temporal at most timeoutMs, and records the outcome: made, or
 * failed and due again after a backoff of 1 s, 2 s, 4 s … at most a minute (from the attempts so
 * far). Throws only when the database fails to record it; the row then stays due for the relay.
 */
async function attemptStart(db: Queryable, temporal: Client, s: WorkflowStart, timeoutMs: number): Promise<boolean> {
  try {
    await temporal.connection.withDeadline(Date.now() + timeoutMs, () => start(temporal, s));
  } catch (err) {
    await db.query(
      `UPDATE workflow_starts SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = now() + make_interval(secs => LEAST(60, power(2, attempts)))
       WHERE workflow_id = $1 AND started_at IS NULL`,
      [s.workflowId, String((err as Error)?.message ?? err).slice(0, 500)],
    );
    return false;
  }
  await db.query('UPDATE workflow_starts SET started_at = now(), last_error = NULL WHERE workflow_id = $1', [
    s.workflowId,
  ]);
  return true;
}

/**
 * Makes recorded starts as soon as they are committed. A request waits for its start at most
 * budgetMs; past that the start carries on in the background (so a slow Temporal delays the start,
 * not Amazon's answer) and is marked made when it completes. A start that fails, or that finds
 * maxInFlight starts already running, is left to the relay. Never throws for Temporal's sake.
 */
export class WorkflowStarter {
  private readonly running = new Set<Promise<boolean>>();

  constructor(
    private readonly db: Queryable,
    private readonly temporal: Client,
    private readonly options: {
      budgetMs: number;
      /** How long one start may take in the background before it is left to the relay. */
      callTimeoutMs?: number;
      maxInFlight?: number;
      onError?: (err: unknown) => void;
    },
  ) {}

  /** Returns whether the start was made within the budget (false: it is still running, or left to the relay). */
  async start(s: WorkflowStart): Promise<boolean> {
    if (this.running.size >= (this.options.maxInFlight ?? 256)) return false;
    const attempt = this.attempt(s);
    this.running.add(attempt);
    void attempt.finally(() => this.running.delete(attempt));
    if (this.options.budgetMs === 0) return false;
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.options.budgetMs);
    });
    try {
      return await Promise.race([attempt, budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the starts still running (before the database is closed). */
  async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async attempt(s: WorkflowStart): Promise<boolean> {
    try {
      return await attemptStart(this.db, this.temporal, s, this.options.callTimeoutMs ?? 5000);
    } catch (err) {
      // The database failed while recording the outcome: the row stays due and the relay retries.
      this.options.onError?.(err);
      return false;
    }
  }
}

interface PendingRow {
  workflow_id: string;
  workflow_type: WorkflowName;
  task_queue: string;
  args: unknown[];
  search_attributes: Record<string, string>;
}

/**
 * One pass of the relay: claims due starts (a lease, so replicas do not pile onto the same rows),
 * starts each, and records the outcome. Returns how many it started.
 */
export async function relayWorkflowStarts(
  db: Queryable,
  temporal: Client,
  options: { batch?: number; leaseSeconds?: number; callTimeoutMs?: number; concurrency?: number } = {},
): Promise<number> {
  const claimed = await db.query<PendingRow>(
    `UPDATE workflow_starts SET next_attempt_at = now() + make_interval(secs => $2)
      WHERE workflow_id IN (SELECT workflow_id FROM workflow_starts
                             WHERE started_at IS NULL AND next_attempt_at <= now()
                             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING workflow_id, workflow_type, task_queue, args, search_attributes`,
    [options.batch ?? 100, options.leaseSeconds ?? 30],
  );
  let started = 0;
  const relayOne = async (row: PendingRow) => {
    const s: WorkflowStart = {
      workflowId: row.workflow_id,
      workflowType: row.workflow_type,
      taskQueue: row.task_queue,
      args: row.args as WorkflowStart['args'],
      searchAttributes: row.search_attributes,
    };
    if (await attemptStart(db, temporal, s, options.callTimeoutMs ?? 5000)) started++;
  };
  // Several starts in flight at once: after an outage the backlog drains at Temporal's pace, not at
  // one round trip per start.
  const queue = [...claimed];
  const lanes = Array.from({ length: Math.min(options.concurrency ?? 16, queue.length) }, async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await relayOne(row);
  });
  await Promise.all(lanes);
  return started;
}

/** Runs the relay every intervalMs until stopped; a failing pass (database down) is logged and retried. */
export function runWorkflowStartRelay(
  db: Queryable,
  temporal: Client,
  options: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        // Drain what is due, then wait for the next tick.
        while (!stopped && (await relayWorkflowStarts(db, temporal)) > 0);
      } catch (err) {
        options.onError?.(err);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, options.intervalMs ?? 1000).unref();
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
