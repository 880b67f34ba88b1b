import {
  computeCatalogDelta,
  effectiveSyncFields,
  DEFAULT_SYNC_SETTINGS,
  type BaselineEntry,
  type CatalogItem,
} from '../../../../src/domain/catalog';

const item = (sku: string, overrides: Partial<CatalogItem> = {}): CatalogItem => ({
  item_sku: sku,
  external_product_id: '036000291452',
  item_name: `Item ${sku}`,
  store_id: 's',
  standard_price: '1.00',
  ...overrides,
});
const accepted = (entry: CatalogItem, lastStatus = 'SUCCESS'): [string, BaselineEntry] => [
  entry.item_sku,
  { sku: entry.item_sku, accepted: entry, lastStatus },
];

describe('computeCatalogDelta', () => {
  const fields = effectiveSyncFields(DEFAULT_SYNC_SETTINGS);

  it('sends new SKUs, changed relevant fields and last failures; counts the rest and lists what left', () => {
    const baseline = new Map([
      accepted(item('A')),
      accepted(item('B')),
      accepted(item('C'), 'FAILED'),
      accepted(item('D')),
      accepted(item('GONE')),
      accepted(item('BAD')),
    ]);
    const delta = computeCatalogDelta(
      [item('A'), item('B', { item_name: 'Renamed' }), item('C'), item('D', { standard_price: '9.00' }), item('NEW')],
      baseline,
      fields,
      new Set(['BAD']),
    );
    expect(delta.toSend.map((entry) => [entry.item.item_sku, entry.change, entry.fields])).toEqual([
      ['B', 'CHANGED', ['name']],
      ['C', 'RETRY', undefined],
      ['NEW', 'NEW', undefined],
    ]);
    expect(delta.unchanged).toBe(2);
    expect(delta.removed).toEqual(['GONE']);
  });

  it('compares barcodes by type and as a set, and the price only where receipts show it', () => {
    const before = item('A', {
      additional_external_product_information: [
        { external_product_id: '4011', external_product_id_type: 'PLU' },
        { external_product_id: '4131', external_product_id_type: 'PLU' },
      ],
    });
    const reordered = { ...before, external_product_id_type: 'UPC' as const };
    reordered.additional_external_product_information = [...before.additional_external_product_information!].reverse();
    const baseline = new Map([accepted(before)]);
    expect(computeCatalogDelta([reordered], baseline, fields).unchanged).toBe(1);

    const repriced = item('A', { ...before, standard_price: '2.00' });
    const withPrice = effectiveSyncFields({ ...DEFAULT_SYNC_SETTINGS, priceOnReceipts: true });
    expect(computeCatalogDelta([repriced], baseline, fields).toSend).toEqual([]);
    expect(computeCatalogDelta([repriced], baseline, withPrice).toSend[0].fields).toEqual(['price']);
  });
});
