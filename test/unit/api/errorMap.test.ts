/** The one error map: every kind of error a use case or the edge throws answers one status, the same everywhere. */
import {
  Forbidden,
  IdempotencyConflict,
  InvalidRequest,
  NotFound,
  StateConflict,
  UnknownStore,
} from '../../../src/application/errors';
import { PreValidationError } from '../../../src/application/issueScanKey';
import { HttpError, toErrorResponse } from '../../../src/api/httpErrors';
import { CatalogFileError } from '../../../src/domain/catalog/catalogRows';

test.each([
  [
    'an invalid request',
    new InvalidRequest([{ field: 'authEvent.id', reason: 'must be a UUID' }]),
    400,
    { message: 'authEvent.id: must be a UUID', errors: [{ field: 'authEvent.id', reason: 'must be a UUID' }] },
  ],
  [
    'an unknown store',
    new UnknownStore('NOPE'),
    400,
    {
      message: 'storeId: is not a store of this retailer',
      errors: [{ field: 'storeId', reason: 'is not a store of this retailer' }],
    },
  ],
  [
    'an unreadable catalog file',
    new CatalogFileError('line 3: unclosed quote'),
    400,
    { message: 'content: line 3: unclosed quote', errors: [{ field: 'content', reason: 'line 3: unclosed quote' }] },
  ],
  [
    'a caller whose role is too weak',
    new Forbidden('this needs the operator role (or higher); vic has the viewer role'),
    403,
    { message: 'this needs the operator role (or higher); vic has the viewer role' },
  ],
  ['something that does not exist', new NotFound('no purchase for trip T'), 404, { message: 'no purchase for trip T' }],
  [
    'a reused idempotency key',
    new IdempotencyConflict('idempotentShoppingTripId', 'trip T was already used'),
    409,
    {
      message: 'trip T was already used',
      errors: [{ field: 'idempotentShoppingTripId', reason: 'was already used with a different request' }],
    },
  ],
  [
    'a state that forbids it',
    new StateConflict('purchase T is CAPTURED, not failed'),
    409,
    { message: 'purchase T is CAPTURED, not failed' },
  ],
  ['a scan key for an unknown shopper', new PreValidationError('UNKNOWN_SHOPPER'), 404, { message: 'unknown shopper' }],
  [
    'a scan key for a shopper the gate would refuse',
    new PreValidationError('UNPAID_DEBT'),
    403,
    { message: 'no Scan Key Code: the account has an unpaid balance' },
  ],
  [
    'an edge refusal',
    new HttpError(429, 'too many requests for this store'),
    429,
    { message: 'too many requests for this store' },
  ],
])('when a use case throws %s, then it answers %i with that body', (_what, err, status, body) => {
  expect(toErrorResponse(err)).toEqual({ status, body });
});

test('when the body parser fails, then 400, 413 or 415, and anything unknown is a 500 that leaks nothing', () => {
  expect(toErrorResponse(Object.assign(new SyntaxError('x'), { type: 'entity.parse.failed' })).status).toBe(400);
  expect(toErrorResponse({ type: 'entity.too.large' }).status).toBe(413);
  expect(toErrorResponse({ type: 'encoding.unsupported' }).status).toBe(415);
  expect(toErrorResponse(new Error('password=secret'))).toEqual({ status: 500, body: { message: 'internal error' } });
  expect(toErrorResponse(undefined)).toEqual({ status: 500, body: { message: 'internal error' } });
});

test('when a body does not inflate as its Content-Encoding says, then 400 naming body', () => {
  // What body-parser passes on for gzip on plain JSON: the zlib error, given status 400.
  const zlibError = Object.assign(new Error('incorrect header check'), {
    errno: -3,
    code: 'Z_DATA_ERROR',
    status: 400,
  });
  expect(toErrorResponse(zlibError)).toEqual({
    status: 400,
    body: {
      message: 'body: not what its Content-Encoding says',
      errors: [{ field: 'body', reason: 'could not be decoded as its Content-Encoding says' }],
    },
  });
  expect(toErrorResponse({ type: 'request.size.invalid', status: 400 }).status).toBe(400);
  expect(toErrorResponse({ type: 'request.aborted', status: 400 }).status).toBe(400);
  // The same zlib error without the parser's 400 is our own fault.
  expect(toErrorResponse(Object.assign(new Error('x'), { errno: -3, code: 'Z_DATA_ERROR' })).status).toBe(500);
});

test('when a path parameter does not percent-decode, then 400 naming path', () => {
  const decodeError = Object.assign(new URIError("Failed to decode param '%FF'"), { status: 400 });
  expect(toErrorResponse(decodeError)).toEqual({
    status: 400,
    body: {
      message: 'path: not valid percent-encoded UTF-8',
      errors: [{ field: 'path', reason: 'not valid percent-encoded UTF-8' }],
    },
  });
  expect(toErrorResponse(new URIError('ours')).status).toBe(500);
});
