/**
 * A local SQS endpoint on 127.0.0.1 for @aws-sdk/client-sqs (`new SQSClient({ endpoint: url })`).
 * Requests are not signature-checked: it stands in for the retailer's queue, not for IAM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SqsError, SqsRegistry } from './sqsOperations';
import type { SqsQueue } from './sqsQueue';

export interface SqsServerOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Queues to create at start. */
  queues?: string[];
  /** Default 000000000000; appears in queue URLs. */
  accountId?: string;
  /** Default 30, as SQS. */
  defaultVisibilityTimeoutSeconds?: number;
  /** Cap on long-poll waits, to keep tests short. Default 20 (the SQS maximum). */
  maxWaitTimeSeconds?: number;
}

export interface RunningSqsServer {
  /** http://127.0.0.1:<port>: the SQS client's endpoint. */
  url: string;
  /** Creates the queue if needed and returns its URL. */
  createQueue(name: string): string;
  /** The queue behind a name, to inspect or to send to in-process. */
  queue(name: string): SqsQueue | undefined;
  /** Ends pending long polls, drops connections and stops listening. */
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';

export async function startSqsServer(options: SqsServerOptions = {}): Promise<RunningSqsServer> {
  let url = '';
  const registry = new SqsRegistry({
    baseUrl: () => url,
    accountId: options.accountId ?? '000000000000',
    defaultVisibilityTimeoutSeconds: options.defaultVisibilityTimeoutSeconds ?? 30,
    maxWaitTimeSeconds: options.maxWaitTimeSeconds ?? 20,
  });
  const server = createServer((req, res) => void serve(registry, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const name of options.queues ?? []) registry.createQueue(name);

  return {
    url,
    createQueue: (name) => registry.createQueue(name).url,
    queue: (name) => registry.queues.get(name),
    async close() {
      registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

async function serve(registry: SqsRegistry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      throw new SqsError(
        'UnsupportedOperation',
        'AWS.SimpleQueueService.UnsupportedOperation',
        'Only the AWS JSON 1.0 protocol (X-Amz-Target: AmazonSQS.*) is simulated.',
      );
    }
    const input = parseInput(await readBody(req));
    send(res, 200, await registry.handle(target.slice(TARGET_PREFIX.length), input));
  } catch (err) {
    const error =
      err instanceof SqsError ? err : new SqsError('InternalError', 'InternalError', (err as Error).message, 500);
    res.setHeader('x-amzn-query-error', `${error.queryCode};${error.status >= 500 ? 'Receiver' : 'Sender'}`);
    send(res, error.status, { __type: `com.amazonaws.sqs#${error.code}`, message: error.message });
  }
}

function parseInput(text: string): Record<string, unknown> {
  try {
    const input: unknown = JSON.parse(text || '{}');
    if (typeof input === 'object' && input !== null && !Array.isArray(input)) return input as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new SqsError('SerializationException', 'SerializationException', 'The request body is not a JSON object.');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return; // the client gave up on a long poll
  res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE });
  res.end(JSON.stringify(body));
}
