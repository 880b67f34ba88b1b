/** Failed sign-ins per address: refused after the limit until the window ends, successes free, memory bounded. */
import type { Request } from 'express';
import { clientAddress, FailureLimiter } from '../../../src/api/failureLimiter';

const limits = { maxFailures: 3, windowMs: 60_000, maxKeys: 100 };

function limiterAt(start = 1_000_000) {
  let now = start;
  const limiter = new FailureLimiter(limits, () => now);
  return { limiter, advance: (ms: number) => (now += ms) };
}

test('when an address fails up to the limit, then it may still try; one more and it waits out the window', () => {
  const { limiter, advance } = limiterAt();
  for (let i = 0; i < 2; i++) limiter.recordFailure('10.0.0.1');
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  advance(10_000);
  limiter.recordFailure('10.0.0.1');
  // The window runs from the first failure: 50 s left.
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(50);
  expect(limiter.retryAfterSeconds('10.0.0.2')).toBe(0);
  advance(49_500);
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(1);
  advance(500);
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
});

test('when the window has passed, then failures count afresh from the next one', () => {
  const { limiter, advance } = limiterAt();
  for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.1');
  advance(60_000);
  limiter.recordFailure('10.0.0.1');
  limiter.recordFailure('10.0.0.1');
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(0);
  limiter.recordFailure('10.0.0.1');
  expect(limiter.retryAfterSeconds('10.0.0.1')).toBe(60);
});

test('when more addresses fail than it keeps, then the one that failed longest ago is dropped first', () => {
  const { limiter } = limiterAt();
  for (let i = 0; i < 3; i++) limiter.recordFailure('first');
  for (let i = 0; i < 150; i++) limiter.recordFailure(`10.1.${Math.floor(i / 256)}.${i % 256}`);
  expect(limiter.size).toBe(100);
  expect(limiter.retryAfterSeconds('first')).toBe(0);
});

test('when a proxy forwarded the request, then the address is the one it added last, else the connection', () => {
  const request = (forwarded: string | undefined) =>
    ({
      header: (name: string) => (name === 'x-forwarded-for' ? forwarded : undefined),
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as Request;
  expect(clientAddress(request('198.51.100.7, 203.0.113.9'))).toBe('203.0.113.9');
  expect(clientAddress(request('203.0.113.9'))).toBe('203.0.113.9');
  expect(clientAddress(request(undefined))).toBe('127.0.0.1');
  expect(clientAddress(request(''))).toBe('127.0.0.1');
});
