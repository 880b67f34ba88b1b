/** The demo store (src/tools/cli/demoStore.ts) as the simulator sees it through the operator API. */
import { DEMO_PROMOTIONS } from '../../../../src/tools/cli/demoStore';
import type { CatalogItem, StorePricing } from '../../../../src/tools/simulator/journey/storeData';

export const DEMO_CATALOG: CatalogItem[] = [
  {
    sku: 'SKU-001',
    name: 'Cola 330ml',
    priceMinor: 199,
    pricingUnit: 'each',
    taxCode: 'GENERAL',
    barcodes: [{ code: '049000000443', type: 'UPC' }],
  },
  {
    sku: 'SKU-002',
    name: 'Sea Salt Crisps 150g',
    priceMinor: 349,
    pricingUnit: 'each',
    taxCode: 'GENERAL',
    barcodes: [{ code: '028400000017', type: 'UPC' }],
  },
  {
    sku: 'SKU-003',
    name: 'Chicken Sandwich',
    priceMinor: 599,
    pricingUnit: 'each',
    taxCode: 'FOOD',
    barcodes: [{ code: '071800000125', type: 'UPC' }],
  },
  {
    sku: 'SKU-004',
    name: 'Sparkling Water 500ml',
    priceMinor: 129,
    pricingUnit: 'each',
    taxCode: 'GENERAL',
    barcodes: [{ code: '012000000133', type: 'UPC' }],
  },
  {
    sku: 'SKU-005',
    name: 'Bananas',
    priceMinor: 149,
    pricingUnit: 'lb',
    taxCode: 'FOOD',
    barcodes: [{ code: '4011', type: 'PLU' }],
  },
  {
    sku: 'SKU-006',
    name: 'Dark Chocolate 100g',
    priceMinor: 279,
    pricingUnit: 'each',
    taxCode: 'GENERAL',
    barcodes: [{ code: '086000000257', type: 'UPC' }],
  },
  {
    sku: 'SKU-007',
    name: 'Fuji Apples',
    priceMinor: 439,
    pricingUnit: 'kg',
    taxCode: 'FOOD',
    barcodes: [{ code: '4131', type: 'PLU' }],
  },
  {
    sku: 'SKU-008',
    name: 'Coffee Beans 1kg',
    priceMinor: 1800,
    pricingUnit: 'each',
    taxCode: 'FOOD',
    barcodes: [{ code: '034000000319', type: 'UPC' }],
  },
];

export const DEMO_PRICING: StorePricing = {
  storeId: 'STORE-001',
  currency: 'USD',
  taxInclusive: false,
  promotions: DEMO_PROMOTIONS as StorePricing['promotions'],
  taxRates: [
    { taxCode: 'GENERAL', rateBasisPoints: 825 },
    { taxCode: 'FOOD', rateBasisPoints: 0 },
  ],
};
