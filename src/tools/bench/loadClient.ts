/**
 * The load generator of bench:gate, run as a child process so that the client does not share the
 * connector's event loop (Amazon's gate calls come from another machine). Reads a job as JSON on
 * stdin, prints { durationsMs, wallMs, errors } as JSON on stdout. Both the gate requests and the
 * bare StartWorkflowExecution floor are driven from here: the same client for both.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { drive } from './stats';

export type LoadJob =
  | { kind: 'bare'; temporalAddress: string; requests: number; concurrency: number }
  | {
      kind: 'gate';
      url: string;
      headers: Record<string, string>;
      storeId: string;
      codes: string[];
      concurrency: number;
    };

async function run(job: LoadJob): Promise<{ durationsMs: number[]; wallMs: number; errors: number }> {
  let errors = 0;
  if (job.kind === 'bare') {
    const connection = await Connection.connect({ address: job.temporalAddress });
    const client = new Client({ connection });
    // A queue no worker polls: only the server's start path is measured.
    const taskQueue = `bare-${randomUUID()}`;
    const result = await drive(job.requests, job.concurrency, async () => {
      await client.workflow.start('entryWorkflow', { taskQueue, workflowId: `bare-${randomUUID()}`, args: [] });
    });
    await connection.close();
    return { ...result, errors };
  }
  const result = await drive(job.codes.length, job.concurrency, async (i) => {
    const response = await fetch(`${job.url}/v1/identity/identity-keys`, {
      method: 'POST',
      headers: job.headers,
      body: JSON.stringify({
        requestId: randomUUID(),
        identityKey: Buffer.from(job.codes[i]).toString('base64'),
        storeId: job.storeId,
        authEvent: { id: randomUUID(), timestamp: new Date().toISOString(), location: 'ENTRY' },
        keyChannel: 'OPTICAL',
      }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) errors++;
  });
  return { ...result, errors };
}

if (require.main === module) {
  let input = '';
  process.stdin.setEncoding('utf8').on('data', (chunk) => (input += chunk));
  process.stdin.on('end', () => {
    run(JSON.parse(input) as LoadJob)
      .then((result) => {
        process.stdout.write(JSON.stringify(result));
        process.exit(0);
      })
      .catch((err) => {
        process.stderr.write(`${(err as Error).stack}\n`);
        process.exit(1);
      });
  });
}
