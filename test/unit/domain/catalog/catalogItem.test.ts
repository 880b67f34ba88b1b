import {
  AdditionalProductId,
  CatalogItem,
  MAX_ADDITIONAL_PRODUCT_IDS,
  gs1CheckDigit,
  validateCatalog,
  validateCatalogItem,
} from '../../../../src/domain/catalog';

const item = (overrides: Partial<CatalogItem> = {}): CatalogItem => ({
  item_sku: 'SKU-1',
  external_product_id: '036000291452',
  external_product_id_type: 'UPC',
  item_name: 'Chocolate bar',
  store_id: 'store-1',
  standard_price: '1.99',
  ...overrides,
});

/** The n-th of a run of distinct valid UPC-As. */
const upcA = (n: number): string => {
  const payload = String(10000000000 + n);
  return payload + gs1CheckDigit(payload);
};

describe('validateCatalogItem', () => {
  it('finds nothing wrong with a complete item', () => {
    expect(validateCatalogItem(item())).toEqual([]);
  });

  it('finds nothing wrong with only the required fields', () => {
    expect(
      validateCatalogItem({ item_sku: 'A', external_product_id: '4011', item_name: 'Bananas', store_id: 's' }),
    ).toEqual([]);
  });

  it('names the missing required fields, as Amazon does', () => {
    const onlySku = { item_sku: 'SKU-1' } as CatalogItem;
    expect(validateCatalogItem(onlySku)).toEqual(['missing required fields: external_product_id, item_name, store_id']);
  });

  it('counts blank text as missing', () => {
    expect(validateCatalogItem(item({ item_name: '   ' }))).toEqual(['missing required fields: item_name']);
  });

  it('allows 255 characters in a field and no more', () => {
    expect(validateCatalogItem(item({ brand_name: 'x'.repeat(255) }))).toEqual([]);
    expect(validateCatalogItem(item({ item_name: 'x'.repeat(256) }))).toEqual([
      'item_name is 256 characters long; the limit is 255',
    ]);
    expect(validateCatalogItem(item({ brand_name: 'b'.repeat(300) }))).toEqual([
      'brand_name is 300 characters long; the limit is 255',
    ]);
  });

  it('allows item names of 1 to 100 characters, counted as characters, as Amazon prints them on receipts', () => {
    expect(validateCatalogItem(item({ item_name: 'x'.repeat(100) }))).toEqual([]);
    expect(validateCatalogItem(item({ item_name: '𠀀'.repeat(100) }))).toEqual([]);
    expect(validateCatalogItem(item({ item_name: 'x'.repeat(101) }))).toEqual([
      'item_name is 101 characters long; Amazon allows 100',
    ]);
  });

  it('refuses high-ASCII symbols in item names but keeps accented letters', () => {
    expect(validateCatalogItem(item({ item_name: 'Café crème brûlée' }))).toEqual([]);
    expect(validateCatalogItem(item({ item_name: 'Cola® Zero™ ©2024 ®' }))).toEqual([
      'item_name contains "®", "™", "©": Amazon does not support high-ASCII symbols such as ®, © and ™',
    ]);
    expect(validateCatalogItem(item({ item_name: 'Coffee 5°' }))).toHaveLength(1);
    expect(validateCatalogItem(item({ item_name: 'Chocolate 🍫' }))).toHaveLength(1);
    expect(validateCatalogItem(item({ item_name: 'Plain ASCII $5 + tax <ok>' }))).toEqual([]);
  });

  it('checks the barcode against its given type', () => {
    expect(validateCatalogItem(item({ external_product_id: '036000291455' }))).toEqual([
      'external_product_id "036000291455": UPC-A check digit should be 2, got 5',
    ]);
    expect(
      validateCatalogItem(item({ external_product_id: '4006381333931', external_product_id_type: 'UPC' })),
    ).toEqual(['external_product_id "4006381333931": UPC must be 12 digits (UPC-A) or 8 digits (UPC-E), got 13']);
  });

  it('reads the type from the length when none is given, and says so when the barcode fails', () => {
    expect(
      validateCatalogItem(item({ external_product_id: '4006381333931', external_product_id_type: undefined })),
    ).toEqual([]);
    expect(
      validateCatalogItem(item({ external_product_id: '4006381333932', external_product_id_type: undefined })),
    ).toEqual([
      'external_product_id "4006381333932": EAN-13 check digit should be 1, got 2 (read as EAN from its length; give external_product_id_type if it is another type)',
    ]);
  });

  it('reports a length no type has, with a hint for a UPC-A that lost its leading zero', () => {
    expect(
      validateCatalogItem(item({ external_product_id: '36000291452', external_product_id_type: undefined })),
    ).toEqual([
      'external_product_id "36000291452" has no type given, and no barcode type has 11 characters (a UPC-A that lost its leading zero in a spreadsheet?)',
    ]);
    expect(validateCatalogItem(item({ external_product_id: '123', external_product_id_type: undefined }))).toEqual([
      'external_product_id "123" has no type given, and no barcode type has 3 characters',
    ]);
  });

  it('rejects a type Amazon does not know', () => {
    expect(validateCatalogItem(item({ external_product_id_type: 'QR' as never }))).toEqual([
      'external_product_id_type "QR" is not one of UPC, ISBN, EAN, EAN8, GTIN, PLU',
    ]);
  });

  it('checks every additional barcode', () => {
    const additional: AdditionalProductId[] = [
      { external_product_id: '4006381333931', external_product_id_type: 'EAN' },
      { external_product_id: '73513530', external_product_id_type: 'EAN8' },
      { external_product_id: '', external_product_id_type: 'UPC' },
    ];
    expect(validateCatalogItem(item({ additional_external_product_information: additional }))).toEqual([
      'additional_external_product_information[1].external_product_id "73513530": EAN-8 check digit should be 7, got 0',
      'additional_external_product_information[2].external_product_id is missing',
    ]);
  });

  it('checks the length of additional barcodes too', () => {
    const additional = [{ external_product_id: '1'.repeat(256), external_product_id_type: 'UPC' as const }];
    expect(validateCatalogItem(item({ additional_external_product_information: additional }))).toContain(
      'additional_external_product_information[0].external_product_id is 256 characters long; the limit is 255',
    );
  });

  it('allows 50 additional barcodes and no more', () => {
    const additional = (count: number): AdditionalProductId[] =>
      Array.from({ length: count }, (_, n) => ({ external_product_id: upcA(n), external_product_id_type: 'UPC' }));
    expect(
      validateCatalogItem(item({ additional_external_product_information: additional(MAX_ADDITIONAL_PRODUCT_IDS) })),
    ).toEqual([]);
    expect(validateCatalogItem(item({ additional_external_product_information: additional(51) }))).toEqual([
      'additional_external_product_information has 51 entries; the limit is 50',
    ]);
  });

  it('checks the price when there is one', () => {
    expect(validateCatalogItem(item({ standard_price: undefined }))).toEqual([]);
    expect(validateCatalogItem(item({ standard_price: '1.999' }))).toEqual([
      'standard_price "1.999" must be a decimal number with at most 2 decimals, like "9.99"',
    ]);
    expect(validateCatalogItem(item({ standard_price: '-1.00' }))).toEqual([
      'standard_price "-1.00" must not be negative',
    ]);
  });
});

describe('validateCatalog', () => {
  it('returns nothing for a clean catalog', () => {
    expect(
      validateCatalog([
        item(),
        item({ item_sku: 'SKU-2', external_product_id: '4006381333931', external_product_id_type: 'EAN' }),
      ]),
    ).toEqual([]);
  });

  it("returns each item's own problems with its index", () => {
    expect(
      validateCatalog([
        item(),
        item({ item_sku: 'SKU-2', external_product_id: '4011', external_product_id_type: 'PLU', item_name: '' }),
      ]),
    ).toEqual([{ index: 1, item_sku: 'SKU-2', problems: ['missing required fields: item_name'] }]);
  });

  it('flags every item of a SKU used twice in one store', () => {
    const items = [
      item(),
      item({ item_sku: 'SKU-2', external_product_id: '4011', external_product_id_type: 'PLU' }),
      item({ external_product_id: '4006381333931', external_product_id_type: 'EAN' }),
    ];
    expect(validateCatalog(items)).toEqual([
      {
        index: 0,
        item_sku: 'SKU-1',
        problems: ['item_sku "SKU-1" is used more than once in store "store-1": also item 3'],
      },
      {
        index: 2,
        item_sku: 'SKU-1',
        problems: ['item_sku "SKU-1" is used more than once in store "store-1": also item 1'],
      },
    ]);
  });

  it('allows one SKU in two stores, and one barcode in two stores', () => {
    expect(validateCatalog([item(), item({ store_id: 'store-2' })])).toEqual([]);
  });

  it('flags a barcode on two SKUs of a store, on both', () => {
    const problems = validateCatalog([item(), item({ item_sku: 'SKU-2' })], (index) => `line ${index + 2}`);
    expect(problems.map((found) => found.problems)).toEqual([
      ['barcode "036000291452" is also on item_sku "SKU-2" (line 3)'],
      ['barcode "036000291452" is also on item_sku "SKU-1" (line 2)'],
    ]);
  });

  it('sees one product behind a UPC-A and its zero-padded EAN-13', () => {
    const problems = validateCatalog([
      item(),
      item({ item_sku: 'SKU-2', external_product_id: '0036000291452', external_product_id_type: 'EAN' }),
    ]);
    expect(problems[0].problems).toEqual([
      'barcode "036000291452" is also on item_sku "SKU-2" (item 2, as "0036000291452")',
    ]);
  });

  it("sees an additional barcode that is another SKU's main barcode", () => {
    const withExtra = item({
      item_sku: 'SKU-2',
      external_product_id: '4006381333931',
      external_product_id_type: 'EAN',
      additional_external_product_information: [
        { external_product_id: '036000291452', external_product_id_type: 'UPC' },
      ],
    });
    expect(validateCatalog([item(), withExtra]).map((found) => found.index)).toEqual([0, 1]);
  });

  it('does not mind one barcode given twice on the same SKU', () => {
    const twice = item({
      additional_external_product_information: [
        { external_product_id: '036000291452', external_product_id_type: 'UPC' },
      ],
    });
    expect(validateCatalog([twice])).toEqual([]);
  });

  it('names at most five other items, so a fill-down mistake stays readable', () => {
    const items = Array.from({ length: 1000 }, (_, n) => item({ item_sku: `SKU-${n}` }));
    const problems = validateCatalog(items);
    expect(problems).toHaveLength(1000);
    expect(problems[0].problems).toEqual([
      'barcode "036000291452" is also on item_sku "SKU-1" (item 2), item_sku "SKU-2" (item 3), item_sku "SKU-3" (item 4), ' +
        'item_sku "SKU-4" (item 5), item_sku "SKU-5" (item 6) and 994 more',
    ]);
  });

  // No timed assertion (a noisy machine would fail it): a quadratic duplicate report would run for
  // minutes on 100,000 repeats and hit the test timeout; `npm run bench:catalog` measures the speed.
  it('stays linear when a whole 100,000-item catalog repeats one SKU and one barcode', () => {
    const items = Array.from({ length: 100000 }, () => item());
    const problems = validateCatalog(items);
    expect(problems[99999].problems).toEqual([
      'item_sku "SKU-1" is used more than once in store "store-1": also item 1, item 2, item 3, item 4, item 5 and 99994 more',
    ]);
  });
});
