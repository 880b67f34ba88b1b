/**
 * The containers run the image's own commands (`node dist/api/server.js`, `node dist/worker.js`)
 * behind a short `sh` prelude that turns what Secrets Manager holds into what the product reads:
 *
 * - DATABASE_URL: the product reads one URL, while RDS keeps its generated (and rotatable)
 *   credentials as JSON fields. ECS injects the fields (DB_USER, DB_PASSWORD, DB_HOST, DB_PORT,
 *   DB_NAME) and the prelude assembles the URL, so no copy of the password is kept anywhere else.
 *   The generated password has no punctuation (see connectorStack.ts), so it needs no escaping.
 *   `sslmode=no-verify`: RDS for PostgreSQL 15+ requires TLS; verifying the server needs the RDS CA
 *   bundle in the image (NODE_EXTRA_CA_CERTS), which the image does not ship yet (DB_SSLMODE
 *   overrides it, e.g. `verify-full` once it does).
 * - SCAN_KEY_MAC_KEYS: the product wants `id:secret[,id:secret]`. Secrets Manager generates the
 *   first secret without an id, so a bare value is taken as key `A`; a value the operator wrote in
 *   the `id:secret,...` form (key rotation) is passed through unchanged.
 *
 * Variables are written `$NAME`, not `${NAME}`: CloudFormation's linter reads `${...}` as a
 * misplaced Fn::Sub parameter.
 *
 * `exec` replaces the shell, so node is PID 1 and receives ECS's SIGTERM (graceful stop).
 */
export const DATABASE_URL_PRELUDE =
  'export DATABASE_URL="postgres://$DB_USER:$DB_PASSWORD@$DB_HOST:$DB_PORT/$DB_NAME?sslmode=${DB_SSLMODE:-no-verify}"';

export const SCAN_KEY_PRELUDE =
  'case "$SCAN_KEY_MAC_KEYS" in ""|?:*) ;; *) export SCAN_KEY_MAC_KEYS="A:$SCAN_KEY_MAC_KEYS" ;; esac';

/** The container command: the prelude, then `exec` of the product's command. */
export function containerCommand(command: string): string[] {
  return ['sh', '-c', [DATABASE_URL_PRELUDE, SCAN_KEY_PRELUDE, `exec ${command}`].join('\n')];
}

/** Docker health check of the API: GET /healthz with node (the slim image has no curl or wget). */
export function healthCheckCommand(port: number): string[] {
  const script = `fetch('http://127.0.0.1:${port}/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}
