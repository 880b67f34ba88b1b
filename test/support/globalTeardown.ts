export default async function globalTeardown(): Promise<void> {
  await stop(Number(process.env.JWO_TEST_STRIPE_MOCK_PID));
  await stop(Number(process.env.JWO_TEST_TEMPORAL_PID));
}

/** Stops a process the global setup started, by its pid: SIGTERM, then SIGKILL after 10 s. */
async function stop(pid: number): Promise<void> {
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
}
