/**
 * Starts a workflow keyed by a business id so that any number of deliveries of the same request
 * (sequential or concurrent) leave exactly one execution: a running one is reused
 * (USE_EXISTING), a closed one is not started again (REJECT_DUPLICATE).
 *
 * Typed by the worker's workflow module: the name must be a registered workflow and `args` must
 * match its parameters. The import is type-only, so no workflow code is loaded by the API.
 */
import type { Client, WithWorkflowArgs, WorkflowOptions } from '@temporalio/client';
import type * as workflows from '../../workflows';

/** The workflow types the worker registers, by the name they are started with. */
export type WorkflowName = keyof typeof workflows;

export type StartOnceOptions<N extends WorkflowName> = WithWorkflowArgs<
  (typeof workflows)[N],
  Pick<WorkflowOptions, 'taskQueue' | 'workflowId' | 'typedSearchAttributes' | 'memo'>
>;

export type StartOutcome = 'started-or-running' | 'already-closed';

export async function startOnce<N extends WorkflowName>(
  client: Client,
  workflowType: N,
  options: StartOnceOptions<N>,
): Promise<StartOutcome> {
  try {
    await client.workflow.start<(typeof workflows)[N]>(workflowType, {
      ...options,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return 'started-or-running';
  } catch (err) {
    // Compared by name: instanceof fails across module registries (jest, bundlers).
    if ((err as Error).name === 'WorkflowExecutionAlreadyStartedError') return 'already-closed';
    throw err;
  }
}
