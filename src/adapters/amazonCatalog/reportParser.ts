/**
 * Reads the per-item result report. Its format is not public (jwo-api.md §4, INFERRED: a per-item
 * JSON list of SKUs with status and errors), so this parser accepts the plausible shapes and
 * counts what it cannot read instead of failing the whole report:
 *
 * - a JSON array of entries, or an object holding that array under `items`, `results` or `report`;
 * - JSON Lines, one entry per line;
 * - an entry's SKU under `item_sku`, `sku` or `itemSku`; its status under `status` or `result`;
 *   its errors under `errors`, `errorMessages` or `message` (a string, a list of strings, or a
 *   list of objects with a message).
 *
 * An entry without a recognisable status counts as FAILED when it lists errors, else as unparsed.
 * A `message` on a SUCCESS entry is not taken as an error.
 */
import { isRecord, parseJson } from './errorClassification';
import type { ParsedReport, ReportEntry } from './types';

const LIST_KEYS = ['items', 'results', 'report'];
const SKU_KEYS = ['item_sku', 'sku', 'itemSku'];
const STATUS_KEYS = ['status', 'result'];
const LIST_ERROR_KEYS = ['errors', 'errorMessages'];
const ERROR_KEYS = [...LIST_ERROR_KEYS, 'message'];
const SUCCESS_WORDS = new Set(['SUCCESS', 'SUCCEEDED', 'SUCCESSFUL', 'OK', 'PASSED', 'COMPLETED', 'DONE']);
const FAILURE_WORDS = new Set(['FAILED', 'FAILURE', 'FAIL', 'ERROR', 'REJECTED', 'INVALID']);

export function parseReport(body: string): ParsedReport {
  const text = body.replace(/^\uFEFF/, '').trim();
  if (!text) return { entries: [], unparsed: 0 };
  const whole = parseJson(text);
  const list = Array.isArray(whole) ? whole : listInside(whole);
  if (list) return readEntries(list);
  // A lone object: a one-line JSON Lines file (or a document we do not know, counted as unparsed).
  if (whole !== undefined) return readEntries([whole]);
  return readEntries(
    text
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .map((line) => parseJson(line)),
  );
}

function listInside(value: unknown): unknown[] | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of LIST_KEYS) {
    const candidate = value[key];
    if (Array.isArray(candidate)) return candidate;
  }
  return undefined;
}

function readEntries(values: unknown[]): ParsedReport {
  const entries: ReportEntry[] = [];
  let unparsed = 0;
  for (const value of values) {
    const entry = readEntry(value);
    if (entry) entries.push(entry);
    else unparsed += 1;
  }
  return { entries, unparsed };
}

function readEntry(value: unknown): ReportEntry | undefined {
  if (!isRecord(value)) return undefined;
  const sku = firstPresent(value, SKU_KEYS);
  if (typeof sku !== 'string' && typeof sku !== 'number') return undefined;
  const statedStatus = normaliseStatus(firstPresent(value, STATUS_KEYS));
  // On a successful entry a `message` is informational ("Item processed"), not an error.
  const errors = errorsOf(firstPresent(value, statedStatus === 'SUCCESS' ? LIST_ERROR_KEYS : ERROR_KEYS));
  const status = statedStatus ?? (errors.length > 0 ? 'FAILED' : undefined);
  return status ? { sku: String(sku), status, errors } : undefined;
}

function firstPresent(record: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) {
    if (record[key] !== undefined && record[key] !== null) return record[key];
  }
  return undefined;
}

function normaliseStatus(value: unknown): ReportEntry['status'] | undefined {
  if (typeof value === 'boolean') return value ? 'SUCCESS' : 'FAILED';
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toUpperCase();
  if (SUCCESS_WORDS.has(word)) return 'SUCCESS';
  if (FAILURE_WORDS.has(word)) return 'FAILED';
  return undefined;
}

function errorsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(errorText).filter((text): text is string => Boolean(text));
}

function errorText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const text = firstPresent(value, ['message', 'errorMsg', 'errorMessage', 'error', 'code']);
    return typeof text === 'string' ? text : JSON.stringify(value);
  }
  return value === undefined || value === null ? undefined : String(value);
}
