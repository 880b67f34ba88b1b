/** A shopper's past trips with their receipts, newest first, for the app's receipt list. */
import type { Queryable } from '../db/database';
import type { Receipt } from '../../domain/receipt';

export interface ShopperReceipt {
  purchaseId: string;
  tripId: string;
  storeId: string;
  status: string;
  receipt: Receipt;
}

export async function receiptsOfShopper(db: Queryable, shopperId: string, limit = 20): Promise<ShopperReceipt[]> {
  const rows = await db.query<any>(
    'SELECT purchase_id, trip_id, store_id, status, receipt FROM purchases WHERE shopper_id = $1 AND receipt IS NOT NULL ORDER BY created_at DESC LIMIT $2',
    [shopperId, limit],
  );
  return rows.map((r) => ({
    purchaseId: r.purchase_id,
    tripId: r.trip_id,
    storeId: r.store_id,
    status: r.status,
    receipt: r.receipt,
  }));
}
