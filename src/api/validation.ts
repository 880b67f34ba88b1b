/** zod helpers shared by the Amazon-facing endpoints. Schemas never use .strict(): unknown fields are ignored. */
import { z } from 'zod';
import { badRequest, type FieldProblem } from './httpErrors';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** ISO-8601 date-time with a zone (Amazon sends UTC "Z"); fractions of seconds allowed. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const uuid = () => z.string().regex(UUID, 'must be a UUID');
export const isoTimestamp = () =>
  z
    .string()
    .regex(ISO_TIMESTAMP, 'must be an ISO-8601 timestamp such as 2024-02-09T17:53:57Z')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real date and time');
export const base64 = () => z.string().regex(BASE64, 'must be Base64');
export const text = (max: number) =>
  z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

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
