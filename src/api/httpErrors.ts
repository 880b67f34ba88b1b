/**
 * The one pure function that maps anything thrown while answering a request to a status and a
 * JSON body. Use cases throw the product's errors (src/application/errors.ts) and never a status;
 * only what the HTTP edge itself decides (authentication, rate limits, deadlines) is an HttpError.
 * Client mistakes are 4xx naming the field; only our own faults are 5xx.
 */
import {
  Forbidden,
  IdempotencyConflict,
  InvalidRequest,
  NotFound,
  StateConflict,
  type FieldProblem,
} from '../application/errors';
import { PreValidationError } from '../application/issueScanKey';
import { CatalogFileError } from '../domain/catalog/catalogRows';

export type { FieldProblem };

/** A refusal decided at the HTTP edge itself (credentials, rate limit, deadline). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (errors: FieldProblem[]) => new InvalidRequest(errors);

export interface ErrorResponse {
  status: number;
  body: { message: string; errors?: FieldProblem[] };
}

const answer = (status: number, message: string, errors: FieldProblem[] = []): ErrorResponse => ({
  status,
  body: errors.length ? { message, errors } : { message },
});

/** express's body parser errors carry `type`; everything unknown is our fault (500) and logged by the caller. */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof HttpError) return answer(err.status, err.message, err.errors);
  if (err instanceof InvalidRequest) return answer(400, err.message, err.problems);
  if (err instanceof CatalogFileError)
    return answer(400, `content: ${err.message}`, [{ field: 'content', reason: err.message }]);
  if (err instanceof Forbidden) return answer(403, err.message);
  if (err instanceof NotFound) return answer(404, err.message);
  if (err instanceof IdempotencyConflict) {
    return answer(409, err.message, [{ field: err.field, reason: 'was already used with a different request' }]);
  }
  if (err instanceof StateConflict) return answer(409, err.message);
  if (err instanceof PreValidationError) {
    // An unknown shopper is not found; a known one the gate would turn away gets no code (403).
    if (err.reason === 'UNKNOWN_SHOPPER') return answer(404, err.message);
    return answer(403, `no Scan Key Code: ${err.message}`);
  }
  const type = (err as { type?: string })?.type;
  if (type === 'entity.parse.failed')
    return answer(400, 'body: not valid JSON', [{ field: 'body', reason: 'not valid JSON' }]);
  if (type === 'entity.too.large') return answer(413, 'body: larger than the limit');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return answer(415, 'body: unsupported encoding');
  if (isUndecodableBody(err))
    return answer(400, 'body: not what its Content-Encoding says', [
      { field: 'body', reason: 'could not be decoded as its Content-Encoding says' },
    ]);
  if (type === 'request.size.invalid')
    return answer(400, 'body: its length does not match Content-Length', [
      { field: 'body', reason: 'length does not match Content-Length' },
    ]);
  if (type === 'request.aborted') return answer(400, 'body: the request was aborted');
  // express's router: a path parameter that does not percent-decode ("%", "%FF", a lone surrogate's "%ED%A0%80").
  if (err instanceof URIError && (err as { status?: unknown }).status === 400)
    return answer(400, 'path: not valid percent-encoded UTF-8', [
      { field: 'path', reason: 'not valid percent-encoded UTF-8' },
    ]);
  return answer(500, 'internal error');
}

/**
 * A body that does not inflate (`gzip` on plain JSON, a truncated stream): body-parser passes the
 * zlib error on with status 400 and no `type`; zlib errors carry a numeric errno and a code.
 */
function isUndecodableBody(err: unknown): boolean {
  const e = err as { status?: unknown; errno?: unknown; code?: unknown; type?: unknown } | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    e.status === 400 &&
    e.type === undefined &&
    typeof e.errno === 'number' &&
    typeof e.code === 'string'
  );
}
