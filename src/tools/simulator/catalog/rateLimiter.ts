/**
 * Rolling one-second window, as Amazon's "10 requests/second" (jwo-api.md §3.3). Every request
 * that reaches it counts, the throttled ones too, so a client that retries at once stays throttled.
 * The highest count ever seen in one window is kept so tests can check that a client paces itself.
 */
const WINDOW_MS = 1000;

export interface RateLimiter {
  /** Records a request at `at` (ms) and says whether it is within the limit. */
  admit(at: number): boolean;
  maxRequestsInAnySecond(): number;
}

export function createRateLimiter(maxPerSecond: number): RateLimiter {
  // Timestamps of the requests in the current window, oldest first.
  const window: number[] = [];
  let highest = 0;
  return {
    admit(at) {
      while (window.length > 0 && window[0] <= at - WINDOW_MS) window.shift();
      window.push(at);
      // The busiest window always ends at some request, so checking at each arrival finds it.
      highest = Math.max(highest, window.length);
      return window.length <= maxPerSecond;
    },
    maxRequestsInAnySecond: () => highest,
  };
}
