/** /metrics exports what the README's alerts are built on, with values that follow what happened. */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { enterStore, identityKeysRequest, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { BAD_CART_DEADLINE: '1h' } });
  await seedDemoStore(stack.db);
});
afterAll(() => stack?.close());

const metrics = async () => (await fetch(`${stack.url}/metrics`)).text();
const value = (text: string, series: string) =>
  Number(new RegExp(`^${series.replace(/[{}"()]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

test('when shoppers enter, buy and leave bad carts, then the gate, purchase, money and bad-cart figures follow', async () => {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  await preAuthPlaced(stack.db, authEvent.id);
  await post(stack.url, '/v1/identity/identity-keys', identityKeysRequest('JWOBADCODE'));
  const good = purchaseRequest([authEvent], [item('SKU-003')]);
  await post(stack.url, '/v1/order/purchases', good);
  await purchaseSettled(stack.db, good.idempotentShoppingTripId);

  const other = await seedShopper(stack.db);
  const otherEvent = await enterStore(stack.url, stack.db, stack.config, other.shopperId);
  await preAuthPlaced(stack.db, otherEvent.id);
  const bad = purchaseRequest([otherEvent], [item('SKU-NOT-THERE')]);
  await post(stack.url, '/v1/order/purchases', bad);
  await purchaseSettled(stack.db, bad.idempotentShoppingTripId, ['BAD_CART']);

  const text = await metrics();
  expect(value(text, 'jwo_gate_decisions_total{status="200",outcome="ALLOWED",visitor_type="SHOPPER"}')).toBe(2);
  expect(value(text, 'jwo_gate_decisions_total{status="401",outcome="MALFORMED",visitor_type="none"}')).toBe(1);
  expect(value(text, 'jwo_gate_decision_seconds_count')).toBe(3);
  expect(value(text, 'jwo_purchase_requests_total{status="201",outcome="NEW"}')).toBe(2);
  expect(value(text, 'jwo_purchases{status="CAPTURED"}')).toBe(1);
  expect(value(text, 'jwo_purchases{status="BAD_CART"}')).toBe(1);
  expect(value(text, 'jwo_payment_amount_minor{operation="CAPTURE",currency="USD"}')).toBe(599);
  expect(value(text, 'jwo_bad_carts_open')).toBe(1);
  expect(value(text, 'jwo_preauths_nearing_expiry')).toBe(0);
  expect(value(text, 'jwo_debts_open_minor')).toBe(0);
  expect(text).toContain('# TYPE jwo_catalog_uploads gauge');
});
