/** Every documented 400 rule of Create Purchases (jwo-api.md §2.1, test cases 3.1–3.35): 400 naming the field, nothing recorded. */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { item, post, purchaseRequest } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

const PATH = '/v1/order/purchases';
const authEvent = () => ({
  id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  timestamp: '2024-03-22T17:00:00Z',
  location: 'ENTRY',
  payloadType: 'SCAN_CODE',
  scanResult: { id: 'shopper-001', type: 'SHOPPER' },
});
const valid = () => purchaseRequest([authEvent()], [item('SKU-001')]);

function edit(mutate: (body: any) => void) {
  const body = valid();
  mutate(body);
  return body;
}

describe('POST /v1/order/purchases validation', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  const long = 'x'.repeat(256);
  const cases: [string, unknown, string, string][] = [
    ['3.1 missing requestId', edit((b) => delete b.requestId), 'requestId', 'is required'],
    ['3.2 invalid requestId', edit((b) => (b.requestId = 'nope')), 'requestId', 'must be a UUID'],
    [
      '3.3 missing idempotentShoppingTripId',
      edit((b) => delete b.idempotentShoppingTripId),
      'idempotentShoppingTripId',
      'is required',
    ],
    ['3.4 missing storeId', edit((b) => delete b.storeId), 'storeId', 'is required'],
    ['3.5 storeId over 255', edit((b) => (b.storeId = long)), 'storeId', 'must be at most 255 characters'],
    ['unknown storeId', edit((b) => (b.storeId = 'STORE-404')), 'storeId', 'is not a store of this retailer'],
    ['3.6 missing shoppingTrip', edit((b) => delete b.shoppingTrip), 'shoppingTrip', 'is required'],
    ['3.7 missing startTime', edit((b) => delete b.shoppingTrip.startTime), 'shoppingTrip.startTime', 'is required'],
    ['3.8 missing endTime', edit((b) => delete b.shoppingTrip.endTime), 'shoppingTrip.endTime', 'is required'],
    [
      '3.9 invalid startTime',
      edit((b) => (b.shoppingTrip.startTime = 'yesterday')),
      'shoppingTrip.startTime',
      'must be an ISO-8601 timestamp such as 2024-02-09T17:53:57Z',
    ],
    [
      '3.10 endTime before startTime',
      edit((b) => (b.shoppingTrip.endTime = '2000-01-01T00:00:00Z')),
      'shoppingTrip.endTime',
      'must not be before shoppingTrip.startTime',
    ],
    [
      '3.11 missing authEvents',
      edit((b) => delete b.shoppingTrip.authEvents),
      'shoppingTrip.authEvents',
      'is required',
    ],
    [
      'empty authEvents',
      edit((b) => (b.shoppingTrip.authEvents = [])),
      'shoppingTrip.authEvents',
      'must contain at least one auth event',
    ],
    [
      '3.12 missing authEvent id',
      edit((b) => delete b.shoppingTrip.authEvents[0].id),
      'shoppingTrip.authEvents[0].id',
      'is required',
    ],
    [
      '3.13 invalid authEvent id',
      edit((b) => (b.shoppingTrip.authEvents[0].id = 'abc')),
      'shoppingTrip.authEvents[0].id',
      'must be a UUID',
    ],
    [
      '3.14 authEvent id over 255',
      edit((b) => (b.shoppingTrip.authEvents[0].id = long)),
      'shoppingTrip.authEvents[0].id',
      'must be at most 255 characters',
    ],
    [
      '3.15 missing payloadType',
      edit((b) => delete b.shoppingTrip.authEvents[0].payloadType),
      'shoppingTrip.authEvents[0].payloadType',
      'is required',
    ],
    [
      '3.16 invalid payloadType',
      edit((b) => (b.shoppingTrip.authEvents[0].payloadType = 'CASH')),
      'shoppingTrip.authEvents[0].payloadType',
      'must be one of "FINANCIAL", "SCAN_CODE"',
    ],
    [
      '3.17 invalid location',
      edit((b) => (b.shoppingTrip.authEvents[0].location = 'EXIT')),
      'shoppingTrip.authEvents[0].location',
      'must be one of "ENTRY", "MANUAL_IN_STORE"',
    ],
    [
      'invalid authEvent timestamp',
      edit((b) => (b.shoppingTrip.authEvents[0].timestamp = 'now')),
      'shoppingTrip.authEvents[0].timestamp',
      'must be an ISO-8601 timestamp such as 2024-02-09T17:53:57Z',
    ],
    ['3.18 missing cartItems', edit((b) => delete b.cartItems), 'cartItems', 'is required'],
    ['3.19 missing item id', edit((b) => delete b.cartItems[0].id), 'cartItems[0].id', 'is required'],
    [
      '3.20 item id over 255',
      edit((b) => (b.cartItems[0].id = long)),
      'cartItems[0].id',
      'must be at most 255 characters',
    ],
    ['3.21 missing item type', edit((b) => delete b.cartItems[0].type), 'cartItems[0].type', 'is required'],
    [
      '3.22 invalid item type',
      edit((b) => (b.cartItems[0].type = 'BARCODE')),
      'cartItems[0].type',
      'must be one of "SKU", "SCANCODE"',
    ],
    ['3.23 missing quantity', edit((b) => delete b.cartItems[0].quantity), 'cartItems[0].quantity', 'is required'],
    [
      '3.24 missing quantity value',
      edit((b) => delete b.cartItems[0].quantity.value),
      'cartItems[0].quantity.value',
      'is required',
    ],
    [
      '3.25 quantity value over 10 characters',
      edit((b) => (b.cartItems[0].quantity.value = '1.000000000')),
      'cartItems[0].quantity.value',
      'must be at most 10 characters',
    ],
    [
      'quantity value not a number',
      edit((b) => (b.cartItems[0].quantity.value = 'two')),
      'cartItems[0].quantity.value',
      'must be a decimal number such as "1.0"',
    ],
    [
      'quantity value zero',
      edit((b) => (b.cartItems[0].quantity.value = '0.0')),
      'cartItems[0].quantity.value',
      'must be greater than zero',
    ],
    [
      'quantity value a JSON number',
      edit((b) => (b.cartItems[0].quantity.value = 1)),
      'cartItems[0].quantity.value',
      'must be a string',
    ],
    [
      '3.26 missing quantity unit',
      edit((b) => delete b.cartItems[0].quantity.unit),
      'cartItems[0].quantity.unit',
      'is required',
    ],
    [
      '3.27 invalid externalIdentifiers type',
      edit((b) => (b.cartItems[0].externalIdentifiers = [{ id: '123', type: 'QR' }])),
      'cartItems[0].externalIdentifiers[0].type',
      'must be one of "UPC", "EAN", "EAN8", "GTIN", "ISBN", "PLU"',
    ],
    [
      '3.28 externalIdentifiers id over 255',
      edit((b) => (b.cartItems[0].externalIdentifiers = [{ id: long, type: 'UPC' }])),
      'cartItems[0].externalIdentifiers[0].id',
      'must be at most 255 characters',
    ],
    [
      '3.29 invalid scanResult type',
      edit((b) => (b.shoppingTrip.authEvents[0].scanResult.type = 'ROBOT')),
      'shoppingTrip.authEvents[0].scanResult.type',
      'must be one of "SHOPPER", "ASSOCIATE", "CASH_SHOPPER", "LOYALTY"',
    ],
    [
      '3.30 scanResult id over 255',
      edit((b) => (b.shoppingTrip.authEvents[0].scanResult.id = long)),
      'shoppingTrip.authEvents[0].scanResult.id',
      'must be at most 255 characters',
    ],
    [
      '3.31 shopperIdentity id over 255',
      edit((b) => (b.shopperIdentity = { id: long })),
      'shopperIdentity.id',
      'must be at most 255 characters',
    ],
    [
      '3.32 shopperDeviceId over 255',
      edit((b) => (b.shopperDeviceId = long)),
      'shopperDeviceId',
      'must be at most 255 characters',
    ],
    [
      '3.33 lineItemId over 255',
      edit((b) => (b.cartItems[0].lineItemId = long)),
      'cartItems[0].lineItemId',
      'must be at most 255 characters',
    ],
    [
      '3.34 duplicate lineItemId',
      edit(
        (b) =>
          (b.cartItems = [
            item('SKU-001', '1', 'unit', { lineItemId: 'L1' }),
            item('SKU-002', '1', 'unit', { lineItemId: 'L1' }),
          ]),
      ),
      'cartItems[1].lineItemId',
      'duplicates cartItems[0].lineItemId',
    ],
    ['3.35 empty request', {}, 'body', 'request body is empty'],
    ['a body that is not JSON', 'cartItems=1', 'body', 'not valid JSON'],
  ];

  test.each(cases)(
    'when the request has %s, then 400 naming the field and nothing is recorded',
    async (_name, body, field, reason) => {
      const response = await post(stack.url, PATH, body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({ field, reason });
      expect(await stack.db.query('SELECT count(*)::int AS n FROM purchases')).toEqual([{ n: 0 }]);
    },
  );

  test('when unknown fields appear anywhere, then they are ignored', async () => {
    const body = valid();
    body.newTopLevel = true;
    body.shoppingTrip.newTripField = 1;
    body.cartItems[0].newItemField = 'x';
    const response = await post(stack.url, PATH, body);
    expect(response.status).toBe(201);
  });

  test('when the caller key is missing, then 401 and nothing is recorded', async () => {
    const response = await post(stack.url, PATH, valid(), {});
    expect(response.status).toBe(401);
  });
});
