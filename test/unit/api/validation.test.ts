/** The zod helpers every endpoint's strings go through: NUL and unpaired surrogates are refused, naming the field. */
import { z } from 'zod';
import { isStorableText, jsonObject, parseBody, text, UNSAFE_TEXT_REASON, uuid } from '../../../src/api/validation';
import { InvalidRequest } from '../../../src/application/errors';

function problems(schema: z.ZodType, body: unknown) {
  try {
    parseBody(schema, body);
  } catch (err) {
    if (err instanceof InvalidRequest) return err.problems;
    throw err;
  }
  return [];
}

test.each([
  ['plain text', 'shopper-001', true],
  ['a well-formed pair (an emoji)', 'a\uD83D\uDE00b', true],
  ['NUL', 'a\u0000b', false],
  ['a lone high surrogate', 'a\uD800', false],
  ['a lone low surrogate', '\uDC00a', false],
  ['a reversed pair', '\uDE00\uD83D', false],
])('when a string holds %s, then it is storable: %s', (_name, value, storable) => {
  expect(isStorableText(value)).toBe(storable);
});

test('when a text field holds NUL or a lone surrogate, then 400 naming the field, wherever it is', () => {
  const schema = z.object({ id: text(255), nested: z.object({ items: z.array(z.object({ sku: text(10) })) }) });
  expect(problems(schema, { id: 'trip\u0000', nested: { items: [{ sku: 'ok' }, { sku: '\uD800' }] } })).toEqual([
    { field: 'id', reason: UNSAFE_TEXT_REASON },
    { field: 'nested.items[1].sku', reason: UNSAFE_TEXT_REASON },
  ]);
  expect(problems(z.object({ requestId: uuid() }), { requestId: '\u0000' })).toEqual([
    { field: 'requestId', reason: UNSAFE_TEXT_REASON },
  ]);
});

test('when a free JSON object holds NUL in a key or a value, or nests too deep, then 400 naming where', () => {
  const schema = z.object({ result: jsonObject() });
  expect(problems(schema, { result: { gate: { p99: 12, errors: ['ok', 'bad\u0000'] } } })).toEqual([
    { field: 'result.gate.errors[1]', reason: UNSAFE_TEXT_REASON },
  ]);
  expect(problems(schema, { result: { gate: { 'k\u0000': 1 } } })).toEqual([
    { field: 'result.gate', reason: `keys ${UNSAFE_TEXT_REASON}` },
  ]);
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = { a: deep };
  expect(problems(schema, { result: deep })[0].reason).toBe('must not nest deeper than 32 levels');
  expect(problems(schema, { result: { gate: { p99: 12 } } })).toEqual([]);
});
