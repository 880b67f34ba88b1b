/**
 * Starts a workflow keyed by a business id so that any number of deliveries of the same request
 * (sequential or concurrent) leave exactly one execution: a running one is reused
 * (USE_EXISTING), a closed one is not started again (REJECT_DUPLICATE).
 */
import type { Client, WorkflowStartOptions } from '@temporalio/client';

export type StartOutcome = 'started-or-running' | 'already-closed';

export async function startOnce(
  client: Client,
  workflowType: string,
  options: Pick<WorkflowStartOptions, 'taskQueue' | 'workflowId' | 'args' | 'typedSearchAttributes' | 'memo'>,
): Promise<StartOutcome> {
  try {
    await client.workflow.start(workflowType, {
      ...options,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    } as WorkflowStartOptions);
    return 'started-or-running';
  } catch (err) {
    // Compared by name: instanceof fails across module registries (jest, bundlers).
    if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'already-closed';
    throw err;
  }
}
