/**
 * zod helpers shared by every endpoint (Amazon's, the app's, the operator API). Schemas never use
 * .strict(): unknown fields are ignored. Every string a schema accepts goes through `string()` (or a
 * helper built on it): NUL and unpaired surrogates are a 400 naming the field, never a 500 from
 * PostgreSQL, which rejects NUL in text and jsonb.
 */
import express, { type RequestHandler, type RequestParamHandler } from 'express';
import { z } from 'zod';
import { badRequest, type FieldProblem } from './httpErrors';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ISO-8601 date-time with a zone (Amazon sends UTC "Z"); fractions of seconds allowed. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const UNSAFE_TEXT_REASON = 'must not contain NUL or unpaired surrogate characters';

/** True when PostgreSQL (and any UTF-8 consumer) can store the string as it is. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/** Any string an endpoint accepts: what every other string helper here builds on. */
export const string = () => z.string().refine(isStorableText, UNSAFE_TEXT_REASON);

export const uuid = () => string().regex(UUID, 'must be a UUID');
export const isoTimestamp = () =>
  string()
    .regex(ISO_TIMESTAMP, 'must be an ISO-8601 timestamp such as 2024-02-09T17:53:57Z')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real date and time');
export const base64 = () => string().regex(BASE64, 'must be Base64');
export const text = (max: number) => string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Where a free JSON object is stored as it is (jsonb): how deep it may nest. */
const MAX_JSON_DEPTH = 32;

/** The first key or string in a JSON value that PostgreSQL's jsonb would refuse, or a nesting too deep to store. */
function jsonProblem(
  value: unknown,
  path: PropertyKey[],
  depth: number,
): { path: PropertyKey[]; reason: string } | null {
  if (typeof value === 'string') return isStorableText(value) ? null : { path, reason: UNSAFE_TEXT_REASON };
  if (value === null || typeof value !== 'object') return null;
  if (depth > MAX_JSON_DEPTH) return { path, reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` };
  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return { path, reason: `keys ${UNSAFE_TEXT_REASON}` };
    const problem = jsonProblem(child, [...path, Array.isArray(value) ? Number(key) : key], depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** A free JSON object stored as jsonb: its keys and strings are checked like every other string. */
export const jsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = jsonProblem(value, [], 1);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.reason });
  });

/** The largest JSON body any endpoint but the catalog import reads. */
export const JSON_BODY_LIMIT = '1mb';

/**
 * Reads a JSON body: mounted by each router AFTER its own authentication, so an unauthenticated
 * caller gets 401 whatever it sends, and nobody else makes the server read or inflate a body. Any
 * content type is parsed as JSON (Amazon may omit the header); body errors map in toErrorResponse.
 */
export const jsonBody = (limit: string = JSON_BODY_LIMIT): RequestHandler => express.json({ limit, type: () => true });

/** Ids in paths (trip, purchase, upload, shopper, store) are at most 255 characters, like the bodies' ids. */
const MAX_PARAM_LENGTH = 255;

/**
 * Checks a route parameter before it reaches SQL or Temporal: `router.param('tripId', storableParam)`.
 * A NUL (`%00`) or an overlong id is a 400 naming the parameter; an undecodable one (a lone
 * surrogate's `%ED%A0%80`) is already a 400 from express.
 */
export const storableParam: RequestParamHandler = (_req, _res, next, value: unknown, name: string) => {
  if (typeof value !== 'string') return next();
  if (!isStorableText(value)) return next(badRequest([{ field: name, reason: UNSAFE_TEXT_REASON }]));
  if (value.length > MAX_PARAM_LENGTH)
    return next(badRequest([{ field: name, reason: `must be at most ${MAX_PARAM_LENGTH} characters` }]));
  next();
};

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(input: unknown, issue: z.core.$ZodIssue): string {
  if (valueAt(input, issue.path) === undefined) return 'is required';
  if (issue.code === 'invalid_type')
    return `must be ${issue.expected === 'object' ? 'an object' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`}`;
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

/** Parses a request body; answers 400 naming every invalid field ("authEvent.id: must be a UUID"). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (
    body === undefined ||
    body === null ||
    (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)
  ) {
    throw badRequest([{ field: 'body', reason: 'request body is empty' }]);
  }
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest([{ field: 'body', reason: 'must be a JSON object' }]);
  return parseInput(schema, body);
}

/** Parses any input (a query string, a body already known to be an object); 400 naming every invalid field. */
export function parseInput<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors: FieldProblem[] = [];
  for (const issue of result.error.issues) {
    const field =
      issue.path
        .map(String)
        .join('.')
        .replace(/\.(\d+)(?=\.|$)/g, '[$1]') || 'body';
    if (seen.has(field)) continue;
    seen.add(field);
    errors.push({ field, reason: describe(body, issue) });
  }
  throw badRequest(errors);
}
