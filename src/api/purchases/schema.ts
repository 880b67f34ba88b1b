/** Create Purchases request (jwo-api.md §2.1). Unknown fields are ignored. */
import { z } from 'zod';
import { isoTimestamp, text, uuid } from '../validation';

import {
  CART_ITEM_TYPES,
  EXTERNAL_IDENTIFIER_TYPES,
  PAYLOAD_TYPES,
  PURCHASE_AUTH_LOCATIONS,
  SCAN_RESULT_TYPES,
} from '../../shared/purchaseMessages';

/**
 * Cart size (INFERRED: jwo-api.md sets no upper bound). A group trip has a few auth events and a
 * store's cart a few dozen lines; beyond these a request is a 400 naming the field rather than a
 * workflow that runs for minutes and writes thousands of history events.
 */
export const MAX_AUTH_EVENTS = 50;
export const MAX_CART_LINES = 500;

const quantityValue = text(10)
  .regex(/^\d+(\.\d+)?$/, 'must be a decimal number such as "1.0"')
  .refine((v) => /[1-9]/.test(v), 'must be greater than zero');

const authEvent = z.object({
  id: text(255).pipe(uuid()),
  timestamp: isoTimestamp(),
  location: z.enum(PURCHASE_AUTH_LOCATIONS).optional(),
  payloadType: z.enum(PAYLOAD_TYPES),
  scanResult: z.object({ id: text(255), type: z.enum(SCAN_RESULT_TYPES) }).optional(),
});

const cartItem = z.object({
  id: text(255),
  type: z.enum(CART_ITEM_TYPES),
  quantity: z.object({ value: quantityValue, unit: text(32) }),
  externalIdentifiers: z.array(z.object({ id: text(255), type: z.enum(EXTERNAL_IDENTIFIER_TYPES) })).optional(),
  lineItemId: text(255).optional(),
});

export const createPurchasesRequest = z
  .object({
    requestId: uuid(),
    idempotentShoppingTripId: text(255),
    storeId: text(255),
    shoppingTrip: z.object({
      startTime: isoTimestamp(),
      endTime: isoTimestamp(),
      authEvents: z
        .array(authEvent)
        .min(1, 'must contain at least one auth event')
        .max(MAX_AUTH_EVENTS, `must contain at most ${MAX_AUTH_EVENTS} auth events`),
    }),
    cartItems: z.array(cartItem).max(MAX_CART_LINES, `must contain at most ${MAX_CART_LINES} cart lines`),
    shopperIdentity: z.object({ id: text(255) }).optional(),
    shopperDeviceId: text(255).optional(),
    paymentSource: z.object({ id: text(255) }).optional(),
  })
  .superRefine((request, ctx) => {
    const { startTime, endTime } = request.shoppingTrip;
    if (Date.parse(endTime) < Date.parse(startTime)) {
      ctx.addIssue({
        code: 'custom',
        path: ['shoppingTrip', 'endTime'],
        message: 'must not be before shoppingTrip.startTime',
      });
    }
    const seen = new Map<string, number>();
    request.cartItems.forEach((item, index) => {
      if (item.lineItemId === undefined) return;
      const first = seen.get(item.lineItemId);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['cartItems', index, 'lineItemId'],
          message: `duplicates cartItems[${first}].lineItemId`,
        });
      else seen.set(item.lineItemId, index);
    });
  });

export type CreatePurchasesRequest = z.infer<typeof createPurchasesRequest>;
