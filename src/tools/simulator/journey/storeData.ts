/**
 * What the simulator reads about the store through the operator API
 * (GET /ops/v1/stores/:storeId/catalog and …/pricing), validated so a connector that answers
 * something else fails the run with a clear message instead of a wrong reconciliation.
 */
import { z } from 'zod';

const minor = z.number().int().nonnegative();

export const catalogItemSchema = z.object({
  sku: z.string(),
  name: z.string(),
  /** null: the item has no price yet and cannot be sold. */
  priceMinor: minor.nullable(),
  pricingUnit: z.enum(['each', 'kg', 'g', 'lb', 'oz']),
  taxCode: z.string(),
  barcodes: z.array(z.object({ code: z.string(), type: z.string() })),
});
export type ListedItem = z.infer<typeof catalogItemSchema>;
export type CatalogItem = ListedItem & { priceMinor: number };

/** The items a shopper can buy: those with a price. */
export const sellableItems = (items: readonly ListedItem[]): CatalogItem[] =>
  items.filter((item): item is CatalogItem => item.priceMinor !== null);

const schedule = {
  priority: z.number().int().optional(),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
};

/** The promotion kinds the independent price check knows (the demo store's); others fail the run up front. */
const promotionSchema = z.discriminatedUnion('kind', [
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('MULTI_BUY'),
    skus: z.array(z.string()),
    quantity: z.number().int().positive(),
    priceMinor: minor,
    ...schedule,
  }),
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.literal('PERCENT_OFF'),
    skus: z.array(z.string()),
    percentBasisPoints: z.number().int().min(0).max(10_000),
    ...schedule,
  }),
]);
export type SimPromotion = z.infer<typeof promotionSchema>;

export const storePricingSchema = z.object({
  storeId: z.string(),
  currency: z.string(),
  taxInclusive: z.literal(false, { message: 'the independent price check covers tax-exclusive stores only' }),
  promotions: z.array(promotionSchema),
  taxRates: z.array(z.object({ taxCode: z.string(), rateBasisPoints: z.number().int().nonnegative() })),
});
export type StorePricing = z.infer<typeof storePricingSchema>;

export class StoreDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreDataError';
  }
}

/** Validates what the connector answered; the first problem names the field ("promotions.2.kind: …"). */
export function readStoreData<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new StoreDataError(
    `the store's ${what} cannot be simulated: ${issue.path.join('.') || 'body'}: ${issue.message}`,
  );
}
