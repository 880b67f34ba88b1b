import { CatalogFileError, parseCatalogFile } from '../../../../src/domain/catalog';

const csv = (...lines: string[]): string => lines.join('\n') + '\n';

describe('parseCatalogFile, CSV', () => {
  it("maps the retailer's column names case-insensitively and keeps the price-book fields", () => {
    const file = csv(
      'SKU,UPC,Title,Price,Unit,Tax Code,Brand,Category,SubCategory,Barcode_Type',
      'A1,036000291452,Chocolate bar,1.99,,FOOD,Acme,Snacks,Chocolate,UPC-A',
      'B2,4011,Bananas,0.69,KG,,,,,',
    );
    expect(parseCatalogFile(file, 'csv', 'store-1')).toEqual({
      items: [
        {
          amazon: {
            item_sku: 'A1',
            external_product_id: '036000291452',
            external_product_id_type: 'UPC',
            item_name: 'Chocolate bar',
            store_id: 'store-1',
            standard_price: '1.99',
            brand_name: 'Acme',
            product_tax_code: 'FOOD',
            product_category: 'Snacks',
            product_subcategory: 'Chocolate',
          },
          pricingUnit: 'each',
          priceMinor: 199,
          taxCode: 'FOOD',
        },
        {
          amazon: {
            item_sku: 'B2',
            external_product_id: '4011',
            item_name: 'Bananas',
            store_id: 'store-1',
            standard_price: '0.69',
          },
          pricingUnit: 'kg',
          priceMinor: 69,
          taxCode: null,
        },
      ],
      rejected: [],
    });
  });

  it("accepts Amazon's own names as headers", () => {
    const file = csv(
      'item_sku,external_product_id,external_product_id_type,item_name,standard_price,product_tax_code',
      'A1,4006381333931,EAN,Pen,2.50,T1',
    );
    const [imported] = parseCatalogFile(file, 'csv', 's').items;
    expect(imported.amazon).toMatchObject({ item_sku: 'A1', external_product_id_type: 'EAN', standard_price: '2.50' });
    expect(imported.priceMinor).toBe(250);
  });

  it('reads quotes, commas in names, CRLF, a BOM and blank lines', () => {
    const file =
      '\uFEFFsku,barcode,name,price\r\n\r\n"A1",036000291452,"Milk, 2%, 1 gal",3.49\r\nB2,4006381333931,"12"" pizza ""Margherita""",8\r\n,,,\r\n';
    const result = parseCatalogFile(file, 'csv', 's');
    expect(result.rejected).toEqual([]);
    expect(result.items.map((item) => [item.amazon.item_sku, item.amazon.item_name, item.priceMinor])).toEqual([
      ['A1', 'Milk, 2%, 1 gal', 349],
      ['B2', '12" pizza "Margherita"', 800],
    ]);
  });

  it('rejects a bad row by the physical line it starts on, and keeps the good ones', () => {
    const file = csv(
      'sku,barcode,name,price',
      'A1,036000291452,"Two-line',
      'name",1.00',
      '',
      'B2,036000291455,Bad check digit,1.00',
      'C3,4011,Bananas,0.59',
    );
    const result = parseCatalogFile(file, 'csv', 's');
    expect(result.items.map((item) => item.amazon.item_sku)).toEqual(['A1', 'C3']);
    expect(result.rejected).toEqual([
      {
        line: 5,
        sku: 'B2',
        problems: [
          'external_product_id "036000291455": UPC-A check digit should be 2, got 5 (read as UPC from its length; give external_product_id_type if it is another type)',
        ],
      },
    ]);
  });

  it("rejects item names Amazon refuses (over 100 characters, high-ASCII symbols) by the row's line", () => {
    const file = csv(
      'sku,barcode,name',
      'A1,036000291452,Cola® 330ml',
      `B2,4011,${'Bananas '.repeat(13)}`,
      'C3,4131,Apples',
    );
    const result = parseCatalogFile(file, 'csv', 's');
    expect(result.items.map((item) => item.amazon.item_sku)).toEqual(['C3']);
    expect(result.rejected).toEqual([
      {
        line: 2,
        sku: 'A1',
        problems: ['item_name contains "®": Amazon does not support high-ASCII symbols such as ®, © and ™'],
      },
      { line: 3, sku: 'B2', problems: ['item_name is 103 characters long; Amazon allows 100'] },
    ]);
  });

  it('rejects a row whose field count differs from the header', () => {
    const result = parseCatalogFile(csv('sku,barcode,name,price', 'A1,036000291452,Milk, 2%,3.49'), 'csv', 's');
    expect(result.rejected).toEqual([
      {
        line: 2,
        sku: 'A1',
        problems: [
          'the row has 5 fields but the header has 4 (an unquoted comma in a value?)',
          'standard_price "2%" must be a decimal number with at most 2 decimals, like "9.99"',
        ],
      },
    ]);
  });

  it('rejects a row with text after a closing quote', () => {
    const result = parseCatalogFile(csv('sku,barcode,name', 'A1,036000291452,"Milk"x'), 'csv', 's');
    expect(result.rejected[0].problems).toEqual(['unexpected text "x" after a closing quote']);
  });

  it("rejects both rows of a SKU given twice, naming each other's line", () => {
    const result = parseCatalogFile(
      csv('sku,barcode,name', 'A1,036000291452,Milk', 'A1,4006381333931,Pen'),
      'csv',
      's',
    );
    expect(result.items).toEqual([]);
    expect(result.rejected).toEqual([
      { line: 2, sku: 'A1', problems: ['item_sku "A1" is used more than once in store "s": also line 3'] },
      { line: 3, sku: 'A1', problems: ['item_sku "A1" is used more than once in store "s": also line 2'] },
    ]);
  });

  it('rejects both rows of a barcode on two SKUs', () => {
    const result = parseCatalogFile(
      csv('sku,barcode,name', 'A1,036000291452,Milk', 'B2,036000291452,Milk again'),
      'csv',
      's',
    );
    expect(result.rejected.map((row) => row.problems)).toEqual([
      ['barcode "036000291452" is also on item_sku "B2" (line 3)'],
      ['barcode "036000291452" is also on item_sku "A1" (line 2)'],
    ]);
  });

  it('reports a row without a SKU without one', () => {
    const result = parseCatalogFile(csv('sku,barcode,name', ',036000291452,Milk'), 'csv', 's');
    expect(result.rejected).toEqual([{ line: 2, problems: ['missing required fields: item_sku'] }]);
  });

  it('reads additional barcodes as "code" or "TYPE:code", separated by ";"', () => {
    const file = csv(
      'sku,barcode,name,additional_barcodes',
      'A1,036000291452,Milk,"4006381333931; EAN8:73513537;04252614;"',
    );
    const [imported] = parseCatalogFile(file, 'csv', 's').items;
    expect(imported.amazon.additional_external_product_information).toEqual([
      { external_product_id: '4006381333931', external_product_id_type: 'EAN' },
      { external_product_id: '73513537', external_product_id_type: 'EAN8' },
      { external_product_id: '04252614', external_product_id_type: 'UPC' },
    ]);
  });

  it('rejects additional barcodes with an unknown type, no type that fits, or no code', () => {
    const file = csv('sku,barcode,name,additional_barcodes', 'A1,036000291452,Milk,QR:123;36000291452;UPC:');
    expect(parseCatalogFile(file, 'csv', 's').rejected[0].problems).toEqual([
      'additional barcode "123": type "QR" is not one of UPC, ISBN, EAN, EAN8, GTIN, PLU',
      'additional barcode "36000291452": no barcode type has 11 characters; write it as TYPE:code',
      'an additional barcode has no code',
    ]);
  });

  it('rejects an unknown barcode type or pricing unit', () => {
    const result = parseCatalogFile(
      csv('sku,barcode,name,barcode_type,unit', 'A1,036000291452,Milk,QR,stone'),
      'csv',
      's',
    );
    expect(result.rejected[0].problems).toEqual([
      'barcode type "QR" is not one of UPC, ISBN, EAN, EAN8, GTIN, PLU',
      'pricing unit "stone" is not one of each, kg, g, lb, oz',
    ]);
  });

  it('converts prices to hundredths exactly, and leaves priceMinor null without a price', () => {
    const result = parseCatalogFile(
      csv('sku,barcode,name,price', 'A1,036000291452,Milk,4.35', 'B2,4011,Bananas,'),
      'csv',
      's',
    );
    expect(result.items.map((item) => item.priceMinor)).toEqual([435, null]);
    expect(result.items[1].amazon).not.toHaveProperty('standard_price');
  });

  it('ignores unknown columns, and a store column: the store comes from the caller', () => {
    const result = parseCatalogFile(
      csv('sku,barcode,name,store_id,shelf', 'A1,036000291452,Milk,other-store,3B'),
      'csv',
      'store-1',
    );
    expect(result.items[0].amazon).toEqual({
      item_sku: 'A1',
      external_product_id: '036000291452',
      item_name: 'Milk',
      store_id: 'store-1',
    });
  });

  it('trims values', () => {
    const result = parseCatalogFile(csv('sku,barcode,name', ' A1 , 036000291452 ,  Milk '), 'csv', 's');
    expect(result.items[0].amazon).toMatchObject({
      item_sku: 'A1',
      external_product_id: '036000291452',
      item_name: 'Milk',
    });
  });

  it.each([
    ['an empty file', '', 'the CSV file is empty; it needs a header row'],
    [
      'a missing column',
      csv('sku,price', 'A1,1.00'),
      'the header has no column for external_product_id (barcode or upc or ean or external_product_id), item_name (name or item_name or title)',
    ],
    [
      'two columns for one field',
      csv('sku,upc,ean,name'),
      'columns "upc" and "ean" both mean external_product_id; keep one',
    ],
    [
      'an unclosed quote',
      csv('sku,barcode,name', 'A1,036000291452,"Milk'),
      'the quoted field opened on line 2 is never closed',
    ],
  ])('fails the whole file for %s', (_case, file, message) => {
    expect(() => parseCatalogFile(file, 'csv', 's')).toThrow(CatalogFileError);
    expect(() => parseCatalogFile(file, 'csv', 's')).toThrow(message);
  });

  it('gives nothing for a header without rows', () => {
    expect(parseCatalogFile(csv('sku,barcode,name'), 'csv', 's')).toEqual({ items: [], rejected: [] });
  });

  it('needs a store id', () => {
    expect(() => parseCatalogFile(csv('sku,barcode,name'), 'csv', ' ')).toThrow(RangeError);
  });
});

describe('parseCatalogFile, JSON', () => {
  it("reads Amazon's names and the aliases, with numbers as their text", () => {
    const file = JSON.stringify([
      {
        item_sku: 'A1',
        external_product_id: '036000291452',
        external_product_id_type: 'UPC',
        item_name: 'Milk',
        store_id: 'ignored',
        standard_price: '3.49',
        additional_external_product_information: [
          { external_product_id: '0036000291452', external_product_id_type: 'ean13' },
        ],
        color_name: 'white',
      },
      {
        SKU: 'B2',
        barcode: 4011,
        title: 'Bananas',
        price: 0.69,
        unit: 'lb',
        tax_code: 'PRODUCE',
        additional_barcodes: ['94011'],
      },
    ]);
    const result = parseCatalogFile(file, 'json', 'store-1');
    expect(result.rejected).toEqual([]);
    expect(result.items).toEqual([
      {
        amazon: {
          item_sku: 'A1',
          external_product_id: '036000291452',
          external_product_id_type: 'UPC',
          item_name: 'Milk',
          store_id: 'store-1',
          standard_price: '3.49',
          additional_external_product_information: [
            { external_product_id: '0036000291452', external_product_id_type: 'EAN' },
          ],
        },
        pricingUnit: 'each',
        priceMinor: 349,
        taxCode: null,
      },
      {
        amazon: {
          item_sku: 'B2',
          external_product_id: '4011',
          item_name: 'Bananas',
          store_id: 'store-1',
          standard_price: '0.69',
          product_tax_code: 'PRODUCE',
          additional_external_product_information: [{ external_product_id: '94011', external_product_id_type: 'PLU' }],
        },
        pricingUnit: 'lb',
        priceMinor: 69,
        taxCode: 'PRODUCE',
      },
    ]);
  });

  it('numbers rejected rows by their 1-based position in the array', () => {
    const file = JSON.stringify([
      { sku: 'A1', barcode: '036000291452', name: 'Milk' },
      'not an item',
      { sku: 'C3', barcode: '036000291455', name: 'Bad', shelf: '3B' },
      { sku: 'D4', item_sku: 'D4', barcode: '4011', name: true },
    ]);
    expect(parseCatalogFile(file, 'json', 's').rejected).toEqual([
      { line: 2, problems: ['the item is not an object'] },
      { line: 3, sku: 'C3', problems: [expect.stringContaining('UPC-A check digit should be 2, got 5')] },
      {
        line: 4,
        sku: 'D4',
        problems: [
          '"sku" and "item_sku" both give item_sku; keep one',
          'item_name must be text, got boolean',
          'missing required fields: item_name',
        ],
      },
    ]);
  });

  it('names duplicates by item position', () => {
    const file = JSON.stringify([
      { sku: 'A1', barcode: '036000291452', name: 'Milk' },
      { sku: 'A1', barcode: '4011', name: 'Bananas' },
    ]);
    expect(parseCatalogFile(file, 'json', 's').rejected[0].problems).toEqual([
      'item_sku "A1" is used more than once in store "s": also item 2',
    ]);
  });

  it.each([
    ['not JSON', '[{', 'the file is not valid JSON'],
    ['not an array', '{"catalogItems": []}', 'the JSON file must hold an array of catalog items'],
  ])('fails the whole file when it is %s', (_case, file, message) => {
    expect(() => parseCatalogFile(file, 'json', 's')).toThrow(CatalogFileError);
    expect(() => parseCatalogFile(file, 'json', 's')).toThrow(message);
  });

  it('accepts a BOM and an empty array', () => {
    expect(parseCatalogFile('\uFEFF[]', 'json', 's')).toEqual({ items: [], rejected: [] });
  });
});
