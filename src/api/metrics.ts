/**
 * Prometheus metrics, on a registry of its own (one per app, so tests do not share counters).
 * Request counters and latencies are this replica's; the business gauges are read from the
 * database at scrape time, so every replica reports the same truth (alert on max(), not sum()).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queryable } from '../adapters/db/database';
import { approvedTotals, authorizationsNearingExpiry } from '../adapters/payments/ledger';

/** Pre-auths that expire within this window count as "nearing expiry" (card networks drop them at ~7 days). */
const NEAR_EXPIRY_HOURS = 24;

function businessGauges(registry: Registry, db: Queryable) {
  new Gauge({
    name: 'jwo_purchases',
    help: 'Purchases by status (CAPTURED, BAD_CART, FAILED, DEBT, …)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await db.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM purchases GROUP BY status',
      ))
        this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'jwo_payment_amount_minor',
    help: 'Money moved, in minor units, by operation (CAPTURE, CHARGE, VOID, REFUND) and currency: approved entries of the payment ledger',
    labelNames: ['operation', 'currency'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await approvedTotals(db))
        this.set({ operation: r.operation, currency: r.currency }, r.totalMinor);
    },
  });
  new Gauge({
    name: 'jwo_workflow_starts_pending_oldest_seconds',
    help: 'Age of the oldest workflow start promised by an answer but not yet taken by Temporal (0: none pending)',
    labelNames: ['workflow_type'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // Both types always reported (0 when nothing waits), so an alert has a series to watch.
      for (const r of await db.query<{ workflow_type: string; age: number }>(
        `SELECT t.workflow_type, coalesce(extract(epoch FROM now() - min(w.created_at)), 0)::float8 AS age
           FROM (VALUES ('entryWorkflow'), ('purchaseWorkflow')) AS t(workflow_type)
           LEFT JOIN workflow_starts w ON w.workflow_type = t.workflow_type AND w.started_at IS NULL
          GROUP BY t.workflow_type`,
      ))
        this.set({ workflow_type: r.workflow_type }, r.age);
    },
  });
  new Gauge({
    name: 'jwo_bad_carts_open',
    help: 'Bad carts waiting for an operator decision',
    registers: [registry],
    async collect() {
      this.set((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM bad_carts WHERE status = 'OPEN'"))[0].n);
    },
  });
  new Gauge({
    name: 'jwo_preauths_nearing_expiry',
    help: `Pre-auths still held that expire within ${NEAR_EXPIRY_HOURS} h (carts not charged before pre-auth expiration)`,
    registers: [registry],
    async collect() {
      this.set(await authorizationsNearingExpiry(db, NEAR_EXPIRY_HOURS));
    },
  });
  new Gauge({
    name: 'jwo_catalog_uploads',
    help: 'Catalog uploads by status (RUNNING, COMPLETED, COMPLETED_WITH_FAILURES, FAILED)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await db.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM catalog_uploads GROUP BY status',
      ))
        this.set({ status: r.status }, r.n);
    },
  });
  // The last finished catalog sync of each store (dry runs left out): what it sent, and its delta.
  const lastSyncs = () =>
    db.query<{ store_id: string; sent: number; counts: Record<string, number> | null }>(
      `SELECT DISTINCT ON (store_id) store_id, sent, counts FROM catalog_syncs
        WHERE NOT dry_run AND status <> 'RUNNING' ORDER BY store_id, created_at DESC`,
    );
  new Gauge({
    name: 'jwo_catalog_sync_items_sent',
    help: "Items the store's last catalog sync sent to Amazon (only what changed)",
    labelNames: ['store_id'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await lastSyncs()) this.set({ store_id: r.store_id }, r.sent);
    },
  });
  new Gauge({
    name: 'jwo_catalog_sync_delta_items',
    help: "The store's last catalog sync by change: new, changed, retried (failed last time), removed (left the source), unchanged",
    labelNames: ['store_id', 'change'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await lastSyncs()) {
        for (const change of ['new', 'changed', 'retried', 'removed', 'unchanged'])
          this.set({ store_id: r.store_id, change }, r.counts?.[change] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'jwo_catalog_sync_last_success_timestamp_seconds',
    help: 'When the store last finished a catalog sync (COMPLETED, or COMPLETED_WITH_FAILURES: failed items go again next time)',
    labelNames: ['store_id'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await db.query<{ store_id: string; at: number }>(
        `SELECT store_id, extract(epoch FROM max(finished_at))::float8 AS at FROM catalog_syncs
          WHERE NOT dry_run AND status IN ('COMPLETED', 'COMPLETED_WITH_FAILURES') GROUP BY store_id`,
      ))
        this.set({ store_id: r.store_id }, r.at);
    },
  });
  new Gauge({
    name: 'jwo_catalog_sync_scheduled_since_success_seconds',
    help: 'For each store with an active sync schedule: seconds since a scheduled sync last succeeded (or since the schedule was made)',
    labelNames: ['store_id'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await db.query<{ store_id: string; age: number }>(
        `SELECT s.store_id, extract(epoch FROM now() - coalesce(max(c.finished_at), s.created_at))::float8 AS age
           FROM catalog_sync_schedules s
           LEFT JOIN catalog_syncs c ON c.store_id = s.store_id AND c.trigger = 'SCHEDULE'
                AND c.status IN ('COMPLETED', 'COMPLETED_WITH_FAILURES')
          WHERE NOT s.paused GROUP BY s.store_id, s.created_at`,
      ))
        this.set({ store_id: r.store_id }, r.age);
    },
  });
  new Gauge({
    name: 'jwo_debts_open_minor',
    help: 'Unpaid balances (declined charges) in minor units',
    registers: [registry],
    async collect() {
      this.set(
        (
          await db.query<{ total: number }>(
            'SELECT coalesce(sum(amount_minor), 0)::bigint AS total FROM debts WHERE settled_at IS NULL',
          )
        )[0].total,
      );
    },
  });
}

export function createMetrics(db?: Queryable) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (db) businessGauges(registry, db);
  return {
    registry,
    gateDecisions: new Counter({
      name: 'jwo_gate_decisions_total',
      help: 'Identity Connector answers by HTTP status and outcome (ALLOWED, a rejection reason, INVALID_REQUEST, ERROR, …)',
      labelNames: ['status', 'outcome', 'visitor_type'] as const,
      registers: [registry],
    }),
    gateLatency: new Histogram({
      name: 'jwo_gate_decision_seconds',
      help: 'Identity Connector response time',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5],
      registers: [registry],
    }),
    purchases: new Counter({
      name: 'jwo_purchase_requests_total',
      help: 'Ordering Connector answers by HTTP status and outcome (NEW, REPEAT, EMPTY_CART, INVALID_REQUEST, …)',
      labelNames: ['status', 'outcome'] as const,
      registers: [registry],
    }),
    purchaseLatency: new Histogram({
      name: 'jwo_purchase_request_seconds',
      help: 'Ordering Connector response time',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
      registers: [registry],
    }),
    callerAuthFailures: new Counter({
      name: 'jwo_caller_auth_failures_total',
      help: 'Requests refused because the caller credential was missing or wrong',
      labelNames: ['endpoint', 'reason'] as const,
      registers: [registry],
    }),
    appSignInFailures: new Counter({
      name: 'jwo_app_signin_failures_total',
      help: 'Refused app sign-ins (POST /app/v1/sessions) by reason: unknown_token, demo_token_outside_demo, invalid_body, rate_limited, …',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
