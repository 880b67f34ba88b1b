/**
 * An open-loop arrival scheduler: request i is sent at start + i / rate whether or not earlier
 * ones have been answered, as real arrivals are. A closed loop (send the next when the last
 * answers) slows down with the server and hides its queueing ("coordinated omission"); here a slow
 * server shows as growing latency, because latency is measured from the scheduled send time.
 */
export interface Arrival {
  index: number;
  /** performance.now() time the request was due. */
  scheduledAt: number;
}

export async function runOpenLoop<T>(
  count: number,
  ratePerSecond: number,
  fire: (arrival: Arrival) => Promise<T>,
): Promise<T[]> {
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  const inFlight: Promise<T>[] = [];
  let next = 0;
  while (next < count) {
    const due = start + next * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Send everything that is due (timers fire late on a busy machine): the schedule does not slip.
    const now = performance.now();
    while (next < count && start + next * intervalMs <= now) {
      inFlight.push(fire({ index: next, scheduledAt: start + next * intervalMs }));
      next++;
    }
  }
  return Promise.all(inFlight);
}
