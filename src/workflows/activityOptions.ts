/**
 * One named set of activity options per kind of call, for every workflow: the one place to read how
 * long each call may take and how it is retried. Declines and bad input are results or non-retryable
 * failures; timeouts and outages are retried with backoff, within a budget whose end operators see
 * (a FAILED purchase, a failed catalog chunk).
 */
import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { CATALOG_FAILURES } from '../shared/catalogMessages';
import { catalogTaskQueue } from '../shared/workflowIds';

/**
 * Money moves: bounded in total so a stuck gateway surfaces instead of retrying forever. A key the
 * ledger saw with other parameters, or a request the gateway refuses as invalid, cannot succeed on
 * a retry: not retried (the purchase fails for an operator).
 */
export const paymentCall: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['IdempotencyKeyReused', 'PaymentRequestRefused'],
  },
};

/** Database reads and writes of the connector itself. */
export const storeCall: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * The same database reads and writes run as local activities: in the worker, inside the workflow
 * task that needs them, so a quick query costs no round trip through the Temporal server. Same
 * timeout and retries as storeCall; a retry whose backoff exceeds the local retry threshold is
 * scheduled with a timer, so a database outage waits as it did with normal activities.
 */
export const storeLocalCall: LocalActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** The POS: pricing is quick; a POS that answers 4xx for a cart is a business failure. */
export const posCall: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['PosRejectedCart'],
  },
};

/**
 * Purchases started before patch purchase-fewer-trips looking up the trip's pre-auths (later ones
 * read the ledger once and wait for the entry workflow's signal: preAuthWaitMs): each attempt fails
 * (PreAuthNotReady) while an entry workflow is still placing one, so retrying is polling. Bounded to
 * a few minutes: after that the purchase goes on without a pre-auth and charges the card directly,
 * rather than wait on an entry workflow that never finishes.
 */
export const preAuthPolling: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 1.5, maximumInterval: '15 seconds' },
};

/**
 * How long a purchase that arrives while an entry workflow is still placing its pre-auth waits for
 * that workflow's preAuthSettled signal (the budget preAuthPolling gave the polling). After it the
 * purchase reads the ledger once more and charges the card directly if there is still no pre-auth.
 */
export const preAuthWaitMs = 5 * 60 * 1000;

/** Database work of a catalog upload; preparing 100,000 items takes seconds, not milliseconds. */
export const catalogStoreCall: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Upload Catalog requests, on the workflow's catalog task queue. That queue's workers are
 * rate-limited server-side, so attempts (retries of 429s and "retry recommended" 500s included) are
 * paced across all workers together, under Amazon's 10 requests a second.
 */
export const catalogUploadCall = (mainTaskQueue: string): ActivityOptions => ({
  taskQueue: catalogTaskQueue(mainTaskQueue),
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [CATALOG_FAILURES.refused],
  },
});

/**
 * getCatalogUploadStatus polled by retry policy: every attempt that finds the ingestion still running
 * fails benignly and is retried after the same interval (no backoff: the interval is the poll rate).
 */
export const catalogStatusPolling = (pollIntervalMs: number): ActivityOptions => ({
  startToCloseTimeout: '1 minute',
  // Amazon ingests in minutes; a day without a final status is reported as a failed chunk.
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: pollIntervalMs,
    backoffCoefficient: 1,
    maximumInterval: pollIntervalMs,
    nonRetryableErrorTypes: [CATALOG_FAILURES.refused],
  },
});

/** The catalog result report: its link may have expired; the activity then gets a fresh one through the status call. */
export const catalogReportCall: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [CATALOG_FAILURES.refused],
  },
};
