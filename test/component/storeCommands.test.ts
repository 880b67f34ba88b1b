/**
 * `jwo stores|taxes|promotions|shoppers` against a running connector: the README's "Opening a
 * store" steps as commands, with what they print and how they refuse (flags and the API's answers).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { opsClient, type OpsClient } from '../../src/tools/cli/opsClient';
import {
  addPromotion,
  addShopper,
  addStore,
  deactivateShopper,
  endPromotion,
  importPromotions,
  listPromotions,
  listStores,
  listTaxes,
  promotionFromFlags,
  registerStoreCommands,
  setTax,
  showShopper,
  showStore,
  updateStore,
} from '../../src/tools/cli/storeCommands';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let ops: OpsClient;
let lines: string[];
const out = (line: string) => lines.push(line);
const printed = () => lines.join('\n');

beforeAll(async () => {
  stack = await startTestStack({ env: { DEMO_MODE: 'true' } });
  ops = opsClient({ JWO_API_URL: stack.url, JWO_OPERATOR_KEY: 'demo-operator-key' });
});
beforeEach(() => {
  lines = [];
});
afterAll(() => stack?.close());

const toronto = {
  retailer: 'retailer-1',
  name: 'Toronto',
  currency: 'CAD',
  timeZone: 'America/Toronto',
  preauth: '75.00',
  taxInclusive: false,
};

test('jwo stores add, show, update --live and list', async () => {
  await addStore(ops, out, 'STORE-TOR-01', toronto);
  expect(printed()).toContain('NOT LIVE');
  expect(printed()).toContain('Pre-auth       75.00 CAD');
  expect(printed()).toContain('jwo stores update STORE-TOR-01 --live');
  lines = [];
  await updateStore(ops, out, 'STORE-TOR-01', { live: true, preauth: '80', badCartDefault: 'write-off' });
  expect(printed()).toContain('Store          STORE-TOR-01  LIVE');
  expect(printed()).toContain('Pre-auth       80.00 CAD');
  expect(printed()).toContain('default WRITE_OFF');
  lines = [];
  await updateStore(ops, out, 'STORE-TOR-01', { badCartDefault: 'default' });
  expect(printed()).toContain('default (deployment default)');
  lines = [];
  await showStore(ops, out, 'STORE-TOR-01');
  expect(printed()).toContain('Currency       CAD (2 decimals), tax exclusive');
  lines = [];
  await listStores(ops, out);
  expect(printed()).toMatch(/STORE-TOR-01\s+CAD\s+live/);
});

test('jwo stores add refuses a bad amount, and the API refusal names the field', async () => {
  await expect(addStore(ops, out, 'STORE-X', { ...toronto, preauth: '75.005' })).rejects.toThrow(
    '--preauth "75.005" is not an amount in CAD',
  );
  await expect(addStore(ops, out, 'STORE-X', { ...toronto, timeZone: 'Nowhere/Land' })).rejects.toThrow(
    /answered 400: timeZone: "Nowhere\/Land" is not an IANA time zone/,
  );
  await expect(addStore(ops, out, 'STORE-TOR-01', toronto)).rejects.toThrow(/answered 409/);
  await expect(showStore(ops, out, 'NO-SUCH')).rejects.toThrow(/answered 404/);
});

test('jwo taxes set and list, with effective dates; a rate finer than 0.01% is refused', async () => {
  await setTax(ops, out, { store: 'STORE-TOR-01', code: 'GENERAL', rate: '13', name: 'HST' });
  await setTax(ops, out, { store: 'STORE-TOR-01', code: 'GENERAL', rate: '15', from: '2099-01-01T00:00:00Z' });
  lines = [];
  await listTaxes(ops, out, 'STORE-TOR-01');
  expect(lines).toEqual([
    '  GENERAL       13.00 %  from always  HST',
    '  GENERAL       15.00 %  from 2099-01-01T00:00:00.000Z',
  ]);
  await expect(setTax(ops, out, { store: 'STORE-TOR-01', code: 'GENERAL', rate: '8.875' })).rejects.toThrow(
    /at most 2 decimals/,
  );
  await expect(setTax(ops, out, { store: 'NO-SUCH', code: 'GENERAL', rate: '5' })).rejects.toThrow(/answered 404/);
});

test('jwo promotions add (every kind), list, end and import', async () => {
  await ops.post('/ops/v1/catalog/imports', {
    storeId: 'STORE-TOR-01',
    format: 'csv',
    content: 'sku,barcode,barcode_type,name,price,unit,tax_code\nSKU-A,049000000443,UPC,Cola,2.00,each,GENERAL\n',
  });
  const base = { store: 'STORE-TOR-01', skus: 'SKU-A' };
  await addPromotion(ops, out, { ...base, id: 'T-PCT', name: '25% off', kind: 'percent-off', percent: '25' });
  await addPromotion(ops, out, { ...base, id: 'T-AMT', name: '0.10 off', kind: 'amount-off', amount: '0.10' });
  await addPromotion(ops, out, { ...base, id: 'T-MB', name: '3 for 5', kind: 'multi-buy', quantity: '3', price: '5' });
  await addPromotion(ops, out, { ...base, id: 'T-BOGO', name: 'b2g1', kind: 'buy-x-get-y', buy: '2', get: '1' });
  await addPromotion(ops, out, {
    store: 'STORE-TOR-01',
    id: 'T-SPEND',
    name: '10% over 50',
    kind: 'spend-threshold',
    threshold: '50',
    percent: '10',
    exclusive: true,
    starts: '2020-01-01T00:00:00Z',
    ends: '2099-01-01T00:00:00Z',
  });
  expect(lines).toContain('Promotion T-SPEND (SPEND_THRESHOLD) added to STORE-TOR-01: ACTIVE');
  await expect(
    addPromotion(ops, out, {
      store: 'STORE-TOR-01',
      skus: 'SKU-NONE',
      id: 'T-NO',
      name: 'x',
      kind: 'percent-off',
      percent: '5',
    }),
  ).rejects.toThrow(/no SKU of it is in the store's catalog/);
  await expect(
    addPromotion(ops, out, {
      ...base,
      id: 'T-NO',
      name: 'x',
      kind: 'percent-off',
      percent: '5',
      starts: '2030-02-01T00:00:00Z',
      ends: '2030-01-01T00:00:00Z',
    }),
  ).rejects.toThrow(/ends before it starts/);

  await endPromotion(ops, out, 'STORE-TOR-01', 'T-AMT');
  lines = [];
  await listPromotions(ops, out, 'STORE-TOR-01');
  expect(lines.find((l) => l.startsWith('T-AMT'))).toMatch(/ENDED/);
  expect(lines.find((l) => l.startsWith('T-SPEND'))).toMatch(/ACTIVE.*exclusive/);

  const dir = mkdtempSync(join(tmpdir(), 'promos-'));
  const file = join(dir, 'pos-export.csv');
  writeFileSync(
    file,
    'id,name,kind,skus,percent\nT-CSV,5% off,percent-off,SKU-A,5\nT-GONE,gone,percent-off,SKU-GONE,5\n',
  );
  lines = [];
  expect(await importPromotions(ops, out, 'STORE-TOR-01', file)).toBe(false);
  expect(lines[0]).toBe('1 promotion(s) imported into STORE-TOR-01, 0 unchanged, 1 refused.');
  expect(lines[1]).toMatch(/^ {2}line 3 \(T-GONE\): no SKU of it is in the store's catalog/);
  await expect(importPromotions(ops, out, 'STORE-TOR-01', join(dir, 'promos.xlsx'))).rejects.toThrow(
    /--format must be json or csv/,
  );
});

test('promotion flags are checked before anything is sent', () => {
  const flags = { store: 'S', id: 'P', name: 'n' };
  expect(() => promotionFromFlags({ ...flags, kind: 'free-lunch' }, 'USD')).toThrow(/--kind "free-lunch"/);
  expect(() => promotionFromFlags({ ...flags, kind: 'multi-buy', skus: 'A', quantity: '3' }, 'USD')).toThrow(
    '--kind multi-buy needs --price',
  );
  expect(() => promotionFromFlags({ ...flags, kind: 'spend-threshold', threshold: '5' }, 'USD')).toThrow(
    /exactly one of --amount and --percent/,
  );
  expect(promotionFromFlags({ ...flags, kind: 'amount-off', skus: 'A, B', amount: '100' }, 'JPY')).toEqual({
    id: 'P',
    name: 'n',
    kind: 'FIXED_OFF',
    skus: ['A', 'B'],
    amountOffMinor: 100,
  });
});

test('jwo shoppers add, show and deactivate', async () => {
  await addShopper(ops, out, 'cli-shopper-1', { name: 'Cli Shopper', token: 'tok_visa', expiry: '2099-12' });
  expect(printed()).toContain('Payment   TEST_TOKEN tok_visa (until 2099-12)');
  lines = [];
  await showShopper(ops, out, 'cli-shopper-1');
  expect(printed()).toContain('Shopper   cli-shopper-1  ACTIVE');
  lines = [];
  await deactivateShopper(ops, out, 'cli-shopper-1', 'support ticket 42');
  expect(printed()).toContain('Shopper   cli-shopper-1  CLOSED');
  await expect(addShopper(ops, out, 'cli-shopper-2', { name: 'x', token: 'tok_visa' })).rejects.toThrow(
    /--token and --expiry go together/,
  );
  await expect(
    addShopper(ops, out, 'cli-shopper-2', { name: 'x', token: '4242424242424242', expiry: '2099-12' }),
  ).rejects.toThrow(/looks like a card number/);
  await expect(showShopper(ops, out, 'nobody')).rejects.toThrow(/answered 404/);
});

test('the commands are wired into jwo, next to the existing `jwo shoppers settle`', async () => {
  const program = new Command('jwo').exitOverride();
  program.command('shoppers').command('settle <shopperId>');
  registerStoreCommands(program, () => ops);
  expect(program.commands.filter((c) => c.name() === 'shoppers')).toHaveLength(1);
  const shoppers = program.commands.find((c) => c.name() === 'shoppers')!;
  expect(shoppers.commands.map((c) => c.name())).toEqual([
    'settle',
    'add',
    'show',
    'deactivate',
    'flag',
    'unflag',
    'revoke-codes',
  ]);
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'jwo', 'stores', 'show', 'STORE-TOR-01']);
    await program.parseAsync(['node', 'jwo', 'taxes', 'list', '--store', 'STORE-TOR-01']);
  } finally {
    spy.mockRestore();
  }
  expect(written.join('')).toContain('Store          STORE-TOR-01  LIVE');
  expect(written.join('')).toContain('GENERAL       13.00 %');
});
