/** One line of `jwo connectivity-test`: which link, whether it works, what was seen, what to do. */
export type CheckStatus = 'ok' | 'problem';

export interface CheckRow {
  check: string;
  status: CheckStatus;
  /** What was seen: the answer, the error, the values checked. */
  detail: string;
  /** What to do about a problem; null when ok. */
  fix: string | null;
}

/** The names of the checks, in the order they are reported. */
export const CHECKS = {
  catalogApi: 'Catalog API (Amazon)',
  queue: 'Notification queue (SQS)',
  subscription: 'SNS subscription',
  identityConnector: 'Identity Connector (public URL)',
  orderingConnector: 'Ordering Connector (public URL)',
  temporal: 'Temporal',
  searchAttributes: 'Temporal search attributes',
  database: 'Database',
} as const;

export const ok = (check: string, detail: string): CheckRow => ({ check, status: 'ok', detail, fix: null });

export const problem = (check: string, detail: string, fix: string): CheckRow => ({
  check,
  status: 'problem',
  detail,
  fix,
});

/** An Error's message, or the value as text. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
