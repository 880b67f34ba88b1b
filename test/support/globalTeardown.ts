export default async function globalTeardown(): Promise<void> {
  await (globalThis as any).__TEMPORAL_DEV_SERVER__?.stop();
}
