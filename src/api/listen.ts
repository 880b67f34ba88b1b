/**
 * Starts the HTTP server with keep-alive timeouts that outlast a load balancer's and a client's:
 * Node's default (5 s) closes idle connections that the peer may be reusing at that very moment,
 * which surfaces as a reset request (a 502 at an ALB, whose idle timeout is 60 s).
 */
import type { Server } from 'node:http';
import type { Express } from 'express';

export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    // Must exceed keepAliveTimeout, or a request arriving on an idle connection can be cut off.
    server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  });
}
