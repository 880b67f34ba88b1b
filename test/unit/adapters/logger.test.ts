import { CIRCULAR_MARKER, createLogger, DEPTH_MARKER, LOG_LIMITS, type Level } from '../../../src/adapters/logger';

/** A destination stream that keeps what pino writes, so each test reads back the exact lines. */
function capture(level: Level | 'silent' = 'debug') {
  const chunks: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void chunks.push(chunk) });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '');
  const records = () => lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, chunks, lines, records };
}

/** Depth of nested objects/arrays in a parsed JSON value. */
function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

function nested(levels: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 'bottom' };
  for (let i = 0; i < levels; i++) v = { child: v };
  return v;
}

describe('createLogger', () => {
  it('writes one JSON line per event with level, ISO time, message and the correlation fields', () => {
    const { logger, chunks, records } = capture('info');
    logger.info('gate decision', { requestId: 'r-1', authEventId: 'a-1', tripId: 't-1', status: 200 });
    logger.error('purchase failed', { tripId: 't-2', error: 'boom' });

    expect(chunks.join('').endsWith('\n')).toBe(true);
    const [first, second] = records();
    expect(records()).toHaveLength(2);
    expect(first).toMatchObject({
      level: 'info',
      message: 'gate decision',
      requestId: 'r-1',
      authEventId: 'a-1',
      tripId: 't-1',
      status: 200,
    });
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(first).not.toHaveProperty('pid');
    expect(first).not.toHaveProperty('hostname');
    expect(second).toMatchObject({ level: 'error', message: 'purchase failed', tripId: 't-2', error: 'boom' });
  });

  it('logs an event without fields', () => {
    const { logger, records } = capture();
    logger.warn('stopping');
    expect(records()).toEqual([expect.objectContaining({ level: 'warn', message: 'stopping' })]);
  });

  it.each<[Level | 'silent', Level[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('at LOG_LEVEL=%s writes only %j', (level, expected) => {
    const { logger, records } = capture(level);
    for (const at of ['debug', 'info', 'warn', 'error'] as const) logger[at](`at ${at}`);
    expect(records().map((r) => r.level)).toEqual(expected);
  });

  it('does not let a field named like a line key replace the line key', () => {
    const { logger, records } = capture();
    logger.info('real message', { level: 'fatal', message: 'spoofed', time: 'yesterday' });
    const [r] = records();
    expect(r).toMatchObject({ level: 'info', message: 'real message' });
    expect(r['field.level']).toBe('fatal');
    expect(r['field.message']).toBe('spoofed');
    expect(r['field.time']).toBe('yesterday');
  });

  it('still accepts a line function as destination (the pre-pino signature)', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.info('hello', { requestId: 'r' });
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(false);
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'hello', requestId: 'r' });
  });
});

describe('bounded fields', () => {
  it('replaces a hostile, very deeply nested requestId below the depth limit instead of overflowing', () => {
    const hostile = nested(100_000);
    // The reason for bounding: serialising it as is overflows the stack.
    expect(() => JSON.stringify(hostile)).toThrow(RangeError);

    const { logger, records } = capture();
    expect(() => logger.info('gate decision', { requestId: hostile, tripId: 't-1' })).not.toThrow();
    const [r] = records();
    expect(r.tripId).toBe('t-1');
    // requestId is one level below the fields object, which counts as level 0.
    expect(depthOf(r.requestId)).toBeLessThanOrEqual(LOG_LIMITS.maxDepth - 1);
    expect(JSON.stringify(r.requestId)).toContain(DEPTH_MARKER);
    expect(r.requestId).toEqual({ child: { child: { child: DEPTH_MARKER } } });
  });

  it('keeps shallow nesting intact', () => {
    const { logger, records } = capture();
    logger.info('m', { ctx: { a: { b: 'c' } }, list: [1, 'two', { three: 3 }] });
    expect(records()[0]).toMatchObject({ ctx: { a: { b: 'c' } }, list: [1, 'two', { three: 3 }] });
  });

  it('truncates a huge string field, keeping its beginning and saying how much was cut', () => {
    const huge = 'x'.repeat(5_000_000);
    const { logger, lines, records } = capture();
    logger.info('m', { requestId: huge });
    expect(lines()[0].length).toBeLessThan(LOG_LIMITS.maxStringLength + 500);
    const requestId = records()[0].requestId as string;
    expect(requestId.startsWith('x'.repeat(LOG_LIMITS.maxStringLength))).toBe(true);
    expect(requestId).toContain(`[truncated ${5_000_000 - LOG_LIMITS.maxStringLength} chars]`);
  });

  it('truncates a huge message', () => {
    const { logger, lines } = capture();
    logger.info('m'.repeat(1_000_000));
    expect(lines()[0].length).toBeLessThan(LOG_LIMITS.maxStringLength + 500);
  });

  it('bounds the whole line when many fields each stay under the per-value limits', () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) {
      wide[`k${i}`] = Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`j${j}`, 'y'.repeat(2000)]));
    }
    const { logger, lines } = capture();
    logger.info('m', { wide });
    const line = lines()[0];
    // Unbounded it would be 40 × 40 × 2000 = 3.2 MB.
    expect(line.length).toBeLessThan(LOG_LIMITS.maxTotalChars + 4096);
    // What was left out is said, not silently dropped.
    const wideOut = (JSON.parse(line) as { wide: Record<string, unknown> }).wide;
    expect(wideOut['…']).toMatch(/^\[\d+ more keys\]$/);
  });

  it('summarises arrays and objects with too many entries', () => {
    const { logger, records } = capture();
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const keys = Object.fromEntries(many.map((i) => [`k${i}`, i]));
    logger.info('m', { many, keys });
    const r = records()[0] as { many: unknown[]; keys: Record<string, unknown> };
    expect(r.many).toHaveLength(LOG_LIMITS.maxEntries + 1);
    expect(r.many[LOG_LIMITS.maxEntries]).toBe(`[${1000 - LOG_LIMITS.maxEntries} more items]`);
    expect(Object.keys(r.keys)).toHaveLength(LOG_LIMITS.maxEntries + 1);
    expect(r.keys['…']).toBe(`[${1000 - LOG_LIMITS.maxEntries} more keys]`);
  });

  it('marks circular references and still copies shared, non-circular ones', () => {
    const loop: Record<string, unknown> = { id: 'a' };
    loop.self = loop;
    const shared = { v: 1 };
    const { logger, records } = capture();
    logger.info('m', { loop, pair: [shared, shared] });
    const r = records()[0];
    expect(r.loop).toEqual({ id: 'a', self: CIRCULAR_MARKER });
    expect(r.pair).toEqual([{ v: 1 }, { v: 1 }]);
  });

  it('survives getters, toJSON and toString that throw, and non-JSON values', () => {
    const trap = {
      ok: 1,
      get bad(): never {
        throw new Error('getter');
      },
    };
    const badJson = {
      toJSON: () => {
        throw new Error('toJSON');
      },
    };
    const badMessage = {
      toString: () => {
        throw new Error('toString');
      },
    } as unknown as string;
    const { logger, records } = capture();
    expect(() =>
      logger.info('m', { trap, badJson, big: 10n, fn: () => 1, nan: NaN, when: new Date(0), undef: undefined }),
    ).not.toThrow();
    expect(() => logger.info(badMessage)).not.toThrow();
    const r = records()[0];
    expect(r).toMatchObject({
      trap: { ok: 1, bad: '[Unreadable]' },
      badJson: '[Unserializable]',
      big: '10',
      fn: '[Function]',
      nan: 'NaN',
      when: '1970-01-01T00:00:00.000Z',
    });
    expect(r).not.toHaveProperty('undef');
  });

  it('logs an Error field with its name and message', () => {
    const { logger, records } = capture();
    const err = Object.assign(new TypeError('bad input'), { code: 'E_BAD' });
    logger.error('failed', { error: err });
    expect(records()[0].error).toMatchObject({ name: 'TypeError', message: 'bad input', code: 'E_BAD' });
  });

  it('does not throw when the destination throws', () => {
    const logger = createLogger('info', {
      write: () => {
        throw new Error('disk full');
      },
    });
    expect(() => logger.info('m', { requestId: 'r' })).not.toThrow();
  });
});
