/**
 * Determinism: histories recorded from real runs (test/histories/*.json) replay against the
 * current workflow code. A change that would break workflows already running fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';

const dir = join(__dirname, '../histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

test('there is a recorded history for each workflow type', () => {
  const types = new Set(
    files.map(
      (f) =>
        JSON.parse(readFileSync(join(dir, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType
          .name,
    ),
  );
  expect([...types].sort()).toEqual(['catalogUploadWorkflow', 'entryWorkflow', 'purchaseWorkflow']);
});

test.each(files)('when %s is replayed on the current code, then it is deterministic', async (file) => {
  // The JSON form as the CLI wrote it; the SDK converts it.
  const history = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  await Worker.runReplayHistory({ workflowBundle: { codePath: process.env.JWO_TEST_WORKFLOW_BUNDLE! } }, history, file);
});
