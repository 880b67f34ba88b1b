/**
 * The Prometheus metrics the on-call alerts are built on; `jwo checklist --live` fails while any is
 * missing from /metrics. Add a metric here when an alert starts depending on it.
 */
export const REQUIRED_METRICS: readonly string[] = [
  'jwo_gate_decisions_total',
  'jwo_gate_decision_seconds',
  'jwo_caller_auth_failures_total',
  'jwo_purchase_requests_total',
  'jwo_purchases',
  'jwo_payment_amount_minor',
  'jwo_bad_carts_open',
  'jwo_preauths_nearing_expiry',
  'jwo_debts_open_minor',
];
