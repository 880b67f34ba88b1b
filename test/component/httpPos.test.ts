/** The HTTP POS adapter against a retailer POS played by a small server on 127.0.0.1. */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { httpPos, PosRejectedCart, type PosRequest } from '../../src/adapters/pos/pos';
import { priceCart } from '../../src/domain/pricing';
import { checkPosAnswer } from '../../src/domain/posAnswerCheck';

let server: Server;
let url: string;
let behaviour: 'price' | 'refuse' | 'fail' | 'garbage' | 'off-by-one' = 'price';
const received: PosRequest[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.post('/price', (req, res) => {
    received.push(req.body);
    const request = req.body as PosRequest;
    const result = priceCart({
      currency: request.currency,
      at: request.at,
      taxInclusive: request.taxInclusive,
      lines: request.lines,
      priceBook: [{ sku: 'SKU-1', name: 'Tea', unitPriceMinor: 250, pricingUnit: 'each', taxCode: 'T' }],
      promotions: [],
      taxRates: [{ taxCode: 'T', rateBasisPoints: 1000 }],
    });
    if (behaviour === 'refuse') return void res.status(422).json({ message: 'loyalty account locked' });
    if (behaviour === 'fail') return void res.status(503).send('maintenance');
    if (behaviour === 'garbage') return void res.json({ total: 'lots' });
    if (behaviour === 'off-by-one') return void res.json({ ...result, totalMinor: result.totalMinor + 1 });
    res.json(result);
  });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/price`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const request: PosRequest = {
  storeId: 'S',
  currency: 'USD',
  taxInclusive: false,
  at: '2026-01-01T10:00:00Z',
  lines: [
    { lineId: 'l1', sku: 'SKU-1', quantity: '2', unit: 'unit' },
    { lineId: 'l2', sku: 'SKU-X', quantity: '1', unit: 'unit' },
  ],
};

test('when the POS prices the cart, then its documented request is sent and its answer is used as is', async () => {
  behaviour = 'price';
  const result = await httpPos(url).price(request);
  expect(received.at(-1)).toEqual(request);
  expect(result).toMatchObject({
    totalMinor: 550,
    taxMinor: 50,
    unpriceable: [{ lineId: 'l2', reason: 'UNKNOWN_SKU' }],
  });
});

test('when the POS answers 4xx, then the cart is refused for review (PosRejectedCart)', async () => {
  behaviour = 'refuse';
  await expect(httpPos(url).price(request)).rejects.toThrow(PosRejectedCart);
});

test('when the POS fails or answers something else, then it is an error to retry, not a price', async () => {
  for (const b of ['fail', 'garbage'] as const) {
    behaviour = b;
    const error = await httpPos(url)
      .price(request)
      .catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PosRejectedCart);
  }
});

test('when the POS answer does not add up, then it is handed on as received, and the check where it is received refuses it', async () => {
  behaviour = 'off-by-one';
  const answer = await httpPos(url).price(request);
  // Retrying would get the same answer for an hour: the purchase's priceLines sends the cart to review.
  expect(checkPosAnswer(request, answer)).toEqual([
    expect.objectContaining({ reason: 'POS_INCONSISTENT', detail: 'totalMinor is 551, the lines add up to 550' }),
    expect.objectContaining({
      reason: 'POS_INCONSISTENT',
      detail: 'totalMinor is 551, subtotal, discount and tax add up to 550',
    }),
  ]);
});
