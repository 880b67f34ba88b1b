/**
 * The cluster's front door on the API port, standing in for the load balancer in front of the API
 * replicas:
 *
 * - every request goes round robin to the replicas (src/api/server.ts, the product's server);
 * - a replica that refuses the connection is skipped for a few seconds and the request is sent to
 *   the next one (nothing reached the dead one);
 * - a replica that dies with the request in flight: the caller's connection is reset, as a TCP
 *   load balancer would, so the caller (Amazon) retries, and the retry lands on another replica;
 * - the demo's routes (GET /ops/v1/stores/…/catalog and …/pricing, which the journey simulator
 *   reads, and the /app page with its receipts), which the product's server does not mount, are
 *   answered here by the demo router on the same database, behind the same operator credential
 *   check and shopper session check (the replicas' APP_SESSION_SECRETS). Sign-in
 *   (/app/v1/sessions), /app/v1/me and /app/v1/scan-keys are the product's and go to the replicas.
 */
import {
  createServer,
  request as httpRequest,
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import express from 'express';
import type { Database } from '../../adapters/db/database';
import { shopperSessionCheck } from '../../api/appBackend';
import { operatorAuthentication } from '../../api/operatorAuth';
import type { Config } from '../../config';
import { demoRouter } from '../demo/demoRouter';

export interface Upstream {
  name: string;
  port: number;
}

export interface FrontDoor {
  url: string;
  /** Requests sent to each replica, by name. */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

const DOWN_FOR_MS = 3_000;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
]);

/** Paths the demo router answers (the rest of /app and /ops is the product's). */
export function isDemoPath(method: string, path: string): boolean {
  if (method === 'GET' && /^\/ops\/v1\/stores\/[^/]+\/(catalog|pricing)$/.test(path)) return true;
  return ['/app', '/app/', '/app/app.js', '/app/app.css', '/app/v1/receipts'].includes(path);
}

export async function startFrontDoor(options: {
  port: number;
  host: string;
  upstreams: Upstream[];
  db: Database;
  /** The operator credentials and session secrets the demo routes accept (the API's own settings). */
  config: Parameters<typeof operatorAuthentication>[0] & Pick<Config, 'DEMO_MODE' | 'APP_SESSION_SECRETS'>;
}): Promise<FrontDoor> {
  const demo = express();
  demo.disable('x-powered-by');
  if (options.config.DEMO_MODE)
    demo.use(
      demoRouter({
        db: options.db,
        auth: operatorAuthentication(options.config),
        shopperSession: shopperSessionCheck(options.db, options.config.APP_SESSION_SECRETS),
      }),
    );
  demo.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  demo.use(
    (err: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status ?? 500).json({ message: err.message });
    },
  );

  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const downUntil = new Map<string, number>();
  const counts: Record<string, number> = Object.fromEntries(options.upstreams.map((u) => [u.name, 0]));
  let next = 0;

  /** The upstreams to try, in order: round robin, the ones marked down last. */
  const order = (): Upstream[] => {
    const start = next++ % options.upstreams.length;
    const rotated = [...options.upstreams.slice(start), ...options.upstreams.slice(0, start)];
    const now = Date.now();
    return [
      ...rotated.filter((u) => (downUntil.get(u.name) ?? 0) <= now),
      ...rotated.filter((u) => (downUntil.get(u.name) ?? 0) > now),
    ];
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const candidates = order();
    const attempt = (i: number) => {
      const upstream = candidates[i];
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
      );
      headers['content-length'] = String(body.length);
      headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
      let answered = false;
      const upstreamRequest = httpRequest(
        { host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers, agent },
        (upstreamResponse) => {
          answered = true;
          counts[upstream.name]++;
          const responseHeaders = Object.fromEntries(
            Object.entries(upstreamResponse.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
          );
          res.writeHead(upstreamResponse.statusCode ?? 502, responseHeaders);
          upstreamResponse.pipe(res);
          upstreamResponse.on('aborted', () => res.destroy());
          upstreamResponse.on('error', () => res.destroy());
        },
      );
      upstreamRequest.on('error', (err: NodeJS.ErrnoException) => {
        downUntil.set(upstream.name, Date.now() + DOWN_FOR_MS);
        if (answered) {
          res.destroy();
          return;
        }
        // Refused: nothing reached that replica; try the next one.
        if (err.code === 'ECONNREFUSED' && i + 1 < candidates.length) {
          attempt(i + 1);
          return;
        }
        // The replica died with the request in flight (or none is up): reset the caller's connection.
        req.socket.destroy();
      });
      upstreamRequest.end(body);
    };
    attempt(0);
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (isDemoPath(req.method ?? 'GET', path)) {
      demo(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks)));
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${options.port}`,
    counts: () => ({ ...counts }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
