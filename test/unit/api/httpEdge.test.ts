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

test('when more keys than the cap ask, then the least recently used bucket goes and the limiter stays bounded', () => {
  let now = 0;
  const limiter = new RateLimiter(1, () => now, 3);
  for (const key of ['a', 'b', 'c']) expect(limiter.tryTake(key)).toBe(true);
  expect(limiter.tryTake('a')).toBe(false); // 'a' is now the most recently used
  for (let i = 0; i < 1000; i++) limiter.tryTake(`flood-${i}`);
  expect(limiter.size).toBe(3);
  now = 10; // not refilled: a bucket that was kept would still refuse
  expect(limiter.tryTake('a')).toBe(true); // evicted, so it starts full again
});
