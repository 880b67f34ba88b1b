/** All activities, built once per worker from injected dependencies (the saga sample's pattern). */
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';
import type { PaymentGateway } from '../adapters/payments/paymentGateway';
import { createLedgeredPayments } from '../adapters/payments/ledger';
import type { Pos } from '../adapters/pos/pos';
import { createEntryActivities } from './entryActivities';
import { createPurchaseActivities } from './purchaseActivities';
import { createCatalogActivities } from './catalogActivities';
import type { AmazonCatalogClient } from '../adapters/amazonCatalog';

export interface ActivityDeps {
  db: Database;
  /** The processor (PAYMENT_GATEWAY); activities reach it through the ledger. */
  payments: PaymentGateway;
  pos: Pos;
  /** Activities that look at other workflows (a purchase waiting for its entry's pre-auth). */
  temporal: Client;
  /** Amazon's Catalog API (or the simulator, or a stand-in that fails when none is configured). */
  catalogApi: AmazonCatalogClient;
}

export function createActivities(deps: ActivityDeps) {
  // Every gateway call goes through the connector's payment ledger, whatever the gateway.
  const payments = createLedgeredPayments(deps.db, deps.payments);
  return {
    ...createEntryActivities({ payments }),
    ...createPurchaseActivities({ ...deps, payments }),
    ...createCatalogActivities(deps),
  };
}
