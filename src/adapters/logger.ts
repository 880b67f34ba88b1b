/**
 * JSON lines through pino, one object per event, with correlation ids as fields (requestId, authEventId, tripId).
 * Line shape: {"level":"info","time":"<ISO>", ...fields, "message":"..."}.
 *
 * Field values often come straight from a caller's request body (a requestId, an authEvent id), so they are
 * bounded before pino sees them: pino tries plain JSON.stringify first, which recurses without limit and copies
 * any string whole; a hostile, deeply nested or huge value would overflow the stack or flood the log.
 */
import pino, { type DestinationStream } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

/** Limits on what one field may put on a line. Exported so tests assert against the same numbers. */
export const LOG_LIMITS = {
  /** Levels of nesting kept below the fields object; deeper values become DEPTH_MARKER. */
  maxDepth: 4,
  /** Characters kept of a string (the message included); the rest is replaced by a marker giving the length. */
  maxStringLength: 2048,
  /** Keys kept per object and items per array; the rest are summarised. */
  maxEntries: 50,
  /**
   * Characters of keys and strings one line's fields may hold in all: the per-value limits alone still allow
   * maxEntries^maxDepth strings. Once spent, the remaining values are replaced by BUDGET_MARKER.
   */
  maxTotalChars: 16 * 1024,
} as const;

export const DEPTH_MARKER = '[Truncated: too deep]';
export const CIRCULAR_MARKER = '[Circular]';
export const BUDGET_MARKER = '[Truncated: line too long]';

/** Budget charged per key or item (quotes, colon, comma), so many empty or tiny values are bounded too. */
const ENTRY_COST = 4;

/** What is left of the line's character budget, shared by one bounding walk. */
interface Budget {
  left: number;
}

/** The line's own keys: a field with one of these names is renamed rather than producing duplicate JSON keys. */
const RESERVED_KEYS = new Set(['level', 'time', 'message']);

function boundString(s: string, budget: Budget = { left: Infinity }): string {
  if (budget.left <= 0) return BUDGET_MARKER;
  const keep = Math.min(LOG_LIMITS.maxStringLength, budget.left);
  budget.left -= Math.min(s.length, keep);
  return s.length <= keep ? s : `${s.slice(0, keep)}…[truncated ${s.length - keep} chars]`;
}

/**
 * A JSON-safe copy of `value`, at most maxDepth levels deep below `depth`. Recursion stops at the depth limit,
 * so the input's own depth never reaches the stack. `ancestors` holds the objects on the current path: a value
 * met again on its own path is a cycle (shared, non-cyclic references are copied normally).
 * Never throws: a getter, Proxy or toJSON that throws leaves a marker instead.
 */
export function boundValue(
  value: unknown,
  depth = 0,
  ancestors: object[] = [],
  budget: Budget = { left: LOG_LIMITS.maxTotalChars },
): unknown {
  try {
    switch (typeof value) {
      case 'string':
        return boundString(value, budget);
      case 'number':
        budget.left -= String(value).length;
        return Number.isFinite(value) ? value : String(value);
      case 'boolean':
        return value;
      case 'undefined':
        return undefined;
      case 'bigint':
        return boundString(value.toString(), budget);
      case 'symbol':
        return boundString(value.toString(), budget);
      case 'function':
        return '[Function]';
    }
    if (value === null) return null;
    const obj = value as object;
    if (ancestors.includes(obj)) return CIRCULAR_MARKER;
    if (depth >= LOG_LIMITS.maxDepth) return DEPTH_MARKER;
    if (budget.left <= 0) return BUDGET_MARKER;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (Buffer.isBuffer(obj)) return `[Buffer ${obj.length} bytes]`;
    const path = [...ancestors, obj];
    if (obj instanceof Error) {
      // Own enumerable properties (e.g. a code) are kept alongside the non-enumerable name/message/stack.
      return {
        ...boundObject(obj, depth, path, budget),
        name: boundString(String(obj.name), budget),
        message: boundString(String(obj.message), budget),
        ...(obj.stack ? { stack: boundString(obj.stack, budget) } : {}),
      };
    }
    if (Array.isArray(obj)) {
      const kept: unknown[] = [];
      for (const item of obj.slice(0, LOG_LIMITS.maxEntries)) {
        if (budget.left <= 0) break;
        budget.left -= ENTRY_COST;
        kept.push(boundValue(item, depth + 1, path, budget) ?? null);
      }
      if (obj.length > kept.length) kept.push(`[${obj.length - kept.length} more items]`);
      return kept;
    }
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return boundValue(toJSON.call(obj), depth + 1, path, budget);
    return boundObject(obj, depth, path, budget);
  } catch {
    return '[Unserializable]';
  }
}

function boundObject(obj: object, depth: number, path: object[], budget: Budget): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  let kept = 0;
  for (const key of keys.slice(0, LOG_LIMITS.maxEntries)) {
    if (budget.left <= 0) break;
    kept += 1;
    budget.left -= ENTRY_COST;
    const name = boundString(key, budget);
    let v: unknown;
    try {
      v = (obj as Record<string, unknown>)[key];
    } catch {
      v = '[Unreadable]';
    }
    const bounded = boundValue(v, depth + 1, path, budget);
    if (bounded !== undefined) out[name] = bounded;
  }
  if (keys.length > kept) out['…'] = `[${keys.length - kept} more keys]`;
  return out;
}

/** The fields object of one line: bounded, reserved names prefixed with `field.` so they cannot shadow the line's. */
export function boundFields(fields: unknown): Record<string, unknown> {
  if (fields === undefined || fields === null) return {};
  const bounded = boundValue(fields);
  // A non-object "fields" (a caller bug) is kept under one key rather than dropped.
  if (typeof bounded !== 'object' || bounded === null || Array.isArray(bounded)) return { fields: bounded };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(bounded)) out[RESERVED_KEYS.has(key) ? `field.${key}` : key] = v;
  return out;
}

/**
 * `destination`: where the lines go (default stdout, written synchronously so nothing is lost at exit); a
 * stream-like `{ write(line) }` or, as before pino, a function receiving each line without its newline.
 */
export function createLogger(
  level: Level | 'silent' = 'info',
  destination?: DestinationStream | ((line: string) => void),
): Logger {
  const stream: DestinationStream =
    typeof destination === 'function'
      ? { write: (chunk: string) => destination(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
      : (destination ?? pino.destination({ dest: 1, sync: true }));
  const base = pino(
    {
      level,
      base: undefined, // no pid/hostname: the platform's log shipper adds where a line came from
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const make =
    (at: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      // Checked first so a disabled level costs no bounding work.
      if (!base.isLevelEnabled(at)) return;
      try {
        base[at](boundFields(fields), boundString(String(message)));
      } catch {
        // Logging must never take a request down: a destination that throws loses this line only.
      }
    };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}
