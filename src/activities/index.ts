/** All activities, built once per worker from injected dependencies (the saga sample's pattern). */
import type { PaymentGateway } from '../adapters/payments/paymentGateway';
import { createEntryActivities } from './entryActivities';

export interface ActivityDeps {
  payments: PaymentGateway;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createEntryActivities(deps),
  };
}
