import { keyMatches } from '../../../src/api/callerAuth';
import { RateLimiter } from '../../../src/api/rateLimiter';

test('when caller keys are compared, then only an exact accepted key matches', () => {
  expect(keyMatches('k2', ['k1', 'k2'])).toBe(true);
  expect(keyMatches('k2 ', ['k1', 'k2'])).toBe(false);
  expect(keyMatches('', ['k1'])).toBe(false);
});

test('when a store exceeds its rate, then the bucket refuses until it refills', () => {
  let now = 0;
  const limiter = new RateLimiter(2, () => now);
  expect([limiter.tryTake('s'), limiter.tryTake('s'), limiter.tryTake('s')]).toEqual([true, true, false]);
  expect(limiter.tryTake('other')).toBe(true);
  now = 500;
  expect([limiter.tryTake('s'), limiter.tryTake('s')]).toEqual([true, false]);
});
