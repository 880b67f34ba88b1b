import { keyMatches } from '../../../src/api/callerAuth';
import { HttpError, toErrorResponse } from '../../../src/api/httpErrors';
import { RateLimiter } from '../../../src/api/rateLimiter';

test('when caller keys are compared, then only an exact accepted key matches', () => {
  expect(keyMatches('k2', ['k1', 'k2'])).toBe(true);
  expect(keyMatches('k2 ', ['k1', 'k2'])).toBe(false);
  expect(keyMatches('', ['k1'])).toBe(false);
});

test('when errors are mapped, then client mistakes are 4xx and anything unknown is a 500 that leaks nothing', () => {
  expect(toErrorResponse(new HttpError(404, 'nope'))).toEqual({ status: 404, body: { message: 'nope' } });
  expect(toErrorResponse(Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed' })).status).toBe(400);
  expect(toErrorResponse({ type: 'entity.too.large' }).status).toBe(413);
  expect(toErrorResponse(new Error('password=secret'))).toEqual({ status: 500, body: { message: 'internal error' } });
});

test('when a store exceeds its rate, then the bucket refuses until it refills', () => {
  let now = 0;
  const limiter = new RateLimiter(2, () => now);
  expect([limiter.tryTake('s'), limiter.tryTake('s'), limiter.tryTake('s')]).toEqual([true, true, false]);
  expect(limiter.tryTake('other')).toBe(true);
  now = 500;
  expect([limiter.tryTake('s'), limiter.tryTake('s')]).toEqual([true, false]);
});
