/**
 * Every error the HTTP edge can answer, and the one pure function that maps any thrown value to
 * a status and a JSON body. Client mistakes are 4xx naming the field; only our own faults are 5xx.
 */
export interface FieldProblem {
  field: string;
  reason: string;
}

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

export const badRequest = (errors: FieldProblem[]) =>
  new HttpError(400, errors.length === 1 ? `${errors[0].field}: ${errors[0].reason}` : `${errors.length} fields are invalid`, errors);

export interface ErrorResponse {
  status: number;
  body: { message: string; errors?: FieldProblem[] };
}

/** express's body parser errors carry `type`; everything unknown is our fault (500) and logged by the caller. */
export function toErrorResponse(err: unknown): ErrorResponse {
  if (err instanceof HttpError) return { status: err.status, body: err.errors.length ? { message: err.message, errors: err.errors } : { message: err.message } };
  const type = (err as { type?: string })?.type;
  if (type === 'entity.parse.failed') return { status: 400, body: { message: 'body: not valid JSON', errors: [{ field: 'body', reason: 'not valid JSON' }] } };
  if (type === 'entity.too.large') return { status: 413, body: { message: 'body: larger than the limit' } };
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return { status: 415, body: { message: 'body: unsupported encoding' } };
  return { status: 500, body: { message: 'internal error' } };
}
