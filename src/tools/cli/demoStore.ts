/**
 * The demo store that `npm start` seeds on an empty database: store STORE-001 (the id of Amazon's
 * test cases), shoppers with app tokens, a small catalog with unit and weighed items, two
 * promotions and tax rates. Demo cards: see simulatedGateway.ts for tok_decline and friends.
 */
import type { Database } from '../../adapters/db/database';
import { upsertCatalogItems } from '../../adapters/catalog/catalogStore';
import { addPromotion, createStore, setTaxRate } from '../../application/storeAdmin';
import { enrollShopper } from '../../application/shopperEnrollment';
import { parseCatalogFile } from '../../domain/catalog/import';
import type { Promotion } from '../../domain/pricing';

export const DEMO_STORE_ID = 'STORE-001';

export const DEMO_SHOPPERS = [
  {
    shopperId: 'shopper-001',
    displayName: 'Alice Example',
    visitorType: 'SHOPPER',
    appToken: 'demo-alice',
    paymentToken: 'tok_visa',
    paymentExpiry: '2030-12',
  },
  {
    shopperId: 'shopper-002',
    displayName: 'Bob Example (card declines at capture)',
    visitorType: 'SHOPPER',
    appToken: 'demo-bob',
    paymentToken: 'tok_decline_capture',
    paymentExpiry: '2030-12',
  },
  {
    shopperId: 'shopper-003',
    displayName: 'Carol Example (pays cash)',
    visitorType: 'CASH_SHOPPER',
    appToken: 'demo-carol',
  },
  {
    shopperId: 'associate-001',
    displayName: 'Dana Example (store associate)',
    visitorType: 'ASSOCIATE',
    appToken: 'demo-dana',
  },
] as const;

export const DEMO_CATALOG_CSV = `sku,barcode,barcode_type,name,price,unit,tax_code,brand,category
SKU-001,049000000443,UPC,Cola 330ml,1.99,each,GENERAL,Fizz,Drinks
SKU-002,028400000017,UPC,Sea Salt Crisps 150g,3.49,each,GENERAL,Crunch,Snacks
SKU-003,071800000125,UPC,Chicken Sandwich,5.99,each,FOOD,Deli,Fresh
SKU-004,012000000133,UPC,Sparkling Water 500ml,1.29,each,GENERAL,Fizz,Drinks
SKU-005,4011,PLU,Bananas,1.49,lb,FOOD,,Produce
SKU-006,086000000257,UPC,Dark Chocolate 100g,2.79,each,GENERAL,Cocoa Co,Snacks
SKU-007,4131,PLU,Fuji Apples,4.39,kg,FOOD,,Produce
SKU-008,034000000319,UPC,Coffee Beans 1kg,18.00,each,FOOD,Roast,Pantry
`;

export const DEMO_PROMOTIONS: Promotion[] = [
  {
    id: 'PROMO-DRINKS-3FOR5',
    name: 'Drinks: 3 for $5.00',
    kind: 'MULTI_BUY',
    skus: ['SKU-001', 'SKU-004'],
    quantity: 3,
    priceMinor: 500,
  },
  {
    id: 'PROMO-SNACKS-20',
    name: '20% off snacks',
    kind: 'PERCENT_OFF',
    skus: ['SKU-002', 'SKU-006'],
    percentBasisPoints: 2000,
  },
];

/** The seed acts under this name in the audit log. */
const SEED_ACTOR = { name: 'demo-seed', role: null };

/**
 * Seeds the demo store on an empty database through the same use cases as the admin API and `jwo`
 * (stores, tax rates, promotions, shopper enrollment): the demo store is an ordinary store.
 */
export async function seedDemoStore(db: Database): Promise<boolean> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM stores');
  if (n > 0) return false;
  const admin = { db };
  await createStore(admin, SEED_ACTOR, {
    storeId: DEMO_STORE_ID,
    name: 'Demo Store (app entry)',
    retailerId: 'demo-retailer',
    timeZone: 'America/New_York',
    currency: 'USD',
    taxInclusive: false,
    preauthAmountMinor: 5000,
    live: true,
  });
  const { items, rejected } = parseCatalogFile(DEMO_CATALOG_CSV, 'csv', DEMO_STORE_ID);
  if (rejected.length) throw new Error(`demo catalog has invalid rows: ${JSON.stringify(rejected)}`);
  await upsertCatalogItems(db, DEMO_STORE_ID, items);
  await setTaxRate(admin, SEED_ACTOR, DEMO_STORE_ID, {
    taxCode: 'GENERAL',
    rateBasisPoints: 825,
    name: 'State sales tax 8.25%',
  });
  await setTaxRate(admin, SEED_ACTOR, DEMO_STORE_ID, {
    taxCode: 'FOOD',
    rateBasisPoints: 0,
    name: 'Groceries (exempt)',
  });
  for (const promotion of DEMO_PROMOTIONS) await addPromotion(admin, SEED_ACTOR, DEMO_STORE_ID, promotion);
  for (const { paymentToken, paymentExpiry, ...shopper } of DEMO_SHOPPERS.map((s) => ({
    paymentToken: undefined,
    paymentExpiry: undefined,
    ...s,
  })))
    await enrollShopper(db, SEED_ACTOR, {
      ...shopper,
      paymentMethod: paymentToken ? { type: 'TEST_TOKEN', token: paymentToken, expiry: paymentExpiry! } : undefined,
    });
  return true;
}
