/**
 * One Temporal dev server (in memory, headless), one stripe-mock and one workflow bundle for the whole test run;
 * test files connect to it through the environment and use their own task queues.
 * No server is not a reason to skip: ensureTemporalCli() builds one or fails saying how to get one.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemporalCli } from '../../src/tools/devserver/temporalCli';
import { startDevServer } from '../../src/tools/devserver/devServer';
import { ensureStripeMock, startStripeMock } from '../../src/tools/devserver/stripeMock';

export default async function globalSetup(): Promise<void> {
  const cliPath = await ensureTemporalCli();
  const server = await startDevServer({ cliPath, port: 0, uiPort: null, dbFile: null, namespace: 'default' });
  // globalTeardown may run in another context: it finds the server by its pid.
  process.env.JWO_TEST_TEMPORAL_PID = String(server.process.pid);
  process.env.JWO_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.JWO_TEST_TEMPORAL_CLI = cliPath;

  // stripe-mock, Stripe's official mock server, for the Stripe gateway's tests (STRIPE_API_BASE).
  const stripeMock = await startStripeMock(await ensureStripeMock());
  process.env.JWO_TEST_STRIPE_MOCK_PID = String(stripeMock.process.pid);
  process.env.JWO_TEST_STRIPE_MOCK_URL = stripeMock.url;

  const quiet = { log() {}, info() {}, warn() {}, debug() {}, trace() {}, error: console.error };
  const bundle = await bundleWorkflowCode({
    workflowsPath: resolve(__dirname, '../../src/workflows'),
    logger: quiet as any,
  });
  const dir = mkdtempSync(join(tmpdir(), 'jwo-bundle-'));
  writeFileSync(join(dir, 'workflows.js'), bundle.code);
  process.env.JWO_TEST_WORKFLOW_BUNDLE = join(dir, 'workflows.js');
}
