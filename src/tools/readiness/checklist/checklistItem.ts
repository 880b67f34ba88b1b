/** The operational readiness checklist's building blocks. */

/** In the order the checklist lists them: the app-entry topics of the Well-Architected Review (jwo-api.md §5) plus security. */
export const AREAS = [
  'Identity verification',
  'Charge calculation',
  'Pre-auth management',
  'Catalog sync',
  'Mobile app',
  'Retries and error handling',
  'Observability',
  'Change management',
  'Security',
] as const;
export type Area = (typeof AREAS)[number];

/** What `jwo checklist --live` can check over HTTP against a running deployment. */
export const LIVE_CHECKS = [
  'healthz',
  'readyz',
  'identity-auth',
  'purchases-auth',
  'temporal',
  'catalog',
  'gate-p99',
  'metrics',
  'secrets',
] as const;
export type LiveCheckId = (typeof LIVE_CHECKS)[number];

export interface ChecklistItem {
  id: string;
  area: Area;
  text: string;
  howToVerify: string;
  /** Set when the item can be checked against the running deployment. */
  liveCheck?: LiveCheckId;
}

export type CheckStatus = 'PASSED' | 'FAILED' | 'MANUAL';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was seen: the reason of a failure, the value that passed, or why it needs a person. */
  detail: string;
}

export interface CheckedItem extends ChecklistItem, CheckOutcome {}
