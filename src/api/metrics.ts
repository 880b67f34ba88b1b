/** Prometheus metrics of the HTTP edge, on a registry of its own (one per app, so tests do not share counters). */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
