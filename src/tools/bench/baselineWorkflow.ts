/** The baseline of bench:purchases: a workflow that runs three no-op activities in sequence. */
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(step: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

export async function threeActivities(): Promise<number> {
  return (await noop(1)) + (await noop(2)) + (await noop(3));
}
