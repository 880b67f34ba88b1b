/**
 * One named set of activity options per kind of call. Declines and bad input are results or
 * non-retryable failures; timeouts and outages are retried with backoff.
 */
import type { ActivityOptions } from '@temporalio/workflow';

/** Money moves: bounded in total so a stuck gateway surfaces instead of retrying forever. */
export const paymentCall: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Database reads and writes of the connector itself. */
export const storeCall: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** The POS: pricing is quick; a POS that answers 4xx for a cart is a business failure. */
export const posCall: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['PosRejectedCart'] },
};
