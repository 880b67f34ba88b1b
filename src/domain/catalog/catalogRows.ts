/**
 * A retailer's catalog file, CSV or JSON, read into rows of named fields. Values are not interpreted
 * here; import.ts turns rows into catalog items.
 */
import { CsvRecord, CsvSyntaxError, parseCsv } from './csv';
import { SOURCE_FIELD_NAMES, SourceField, sourceFieldFor } from './fieldNames';

export interface SourceRow {
  /** CSV: the physical line where the record starts. JSON: the 1-based position in the array. */
  line: number;
  /** Strings from CSV; whatever JSON holds (string, number, array, …) from JSON. */
  values: Map<SourceField, unknown>;
  /** What was wrong with the row before its values are looked at. */
  problems: string[];
  /** A JSON element that is not an object: it has no fields to check, so only its own problem is reported. */
  unreadable?: true;
}

/** A file that cannot be imported at all (no header, a required column missing, not JSON, …). */
export class CatalogFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogFileError';
  }
}

/** Without these columns no row of the file could be valid, so their absence fails the whole file. */
const REQUIRED_COLUMNS: readonly SourceField[] = ['item_sku', 'external_product_id', 'item_name'];

export function rowsFromCsv(content: string): SourceRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(content);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new CatalogFileError(error.message);
    throw error;
  }
  const [header, ...data] = records;
  if (header === undefined) throw new CatalogFileError('the CSV file is empty; it needs a header row');
  const columns = fieldsOfHeader(header);
  // Spreadsheets leave rows of empty cells after the data; they are blank lines, not bad rows.
  return data
    .filter((record) => record.fields.some((field) => field.trim() !== ''))
    .map((record) => {
      const values = new Map<SourceField, unknown>();
      record.fields.forEach((value, index) => {
        const field = columns[index];
        if (field !== undefined) values.set(field, value);
      });
      const problems = record.error === undefined ? [] : [record.error];
      if (record.fields.length !== columns.length) {
        const counts = `the row has ${record.fields.length} fields but the header has ${columns.length}`;
        problems.push(`${counts} (an unquoted comma in a value?)`);
      }
      return { line: record.line, values, problems };
    });
}

/** The field of each column, or undefined for columns we do not use (ignored, not refused). */
function fieldsOfHeader(header: CsvRecord): (SourceField | undefined)[] {
  if (header.error !== undefined) throw new CatalogFileError(`the header row is malformed: ${header.error}`);
  const columns = header.fields.map(sourceFieldFor);
  const columnOf = new Map<SourceField, string>();
  columns.forEach((field, index) => {
    if (field === undefined) return;
    const earlier = columnOf.get(field);
    if (earlier !== undefined) {
      throw new CatalogFileError(`columns "${earlier}" and "${header.fields[index]}" both mean ${field}; keep one`);
    }
    columnOf.set(field, header.fields[index]);
  });
  const missing = REQUIRED_COLUMNS.filter((field) => !columnOf.has(field));
  if (missing.length > 0) {
    const accepted = missing.map((field) => `${field} (${SOURCE_FIELD_NAMES[field].join(' or ')})`);
    throw new CatalogFileError(`the header has no column for ${accepted.join(', ')}`);
  }
  return columns;
}

export function rowsFromJson(content: string): SourceRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.startsWith('\uFEFF') ? content.slice(1) : content);
  } catch (error) {
    throw new CatalogFileError(`the file is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new CatalogFileError('the JSON file must hold an array of catalog items');
  return parsed.map((element: unknown, index) => rowOfJsonObject(element, index + 1));
}

function rowOfJsonObject(element: unknown, line: number): SourceRow {
  const values = new Map<SourceField, unknown>();
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    return { line, values, problems: ['the item is not an object'], unreadable: true };
  }
  const problems: string[] = [];
  const keyOf = new Map<SourceField, string>();
  // Keys we do not know are ignored, as Amazon asks of every parser in this integration.
  for (const [key, value] of Object.entries(element)) {
    const field = sourceFieldFor(key);
    if (field === undefined) continue;
    const earlier = keyOf.get(field);
    if (earlier !== undefined) {
      problems.push(`"${earlier}" and "${key}" both give ${field}; keep one`);
      continue;
    }
    keyOf.set(field, key);
    values.set(field, value);
  }
  return { line, values, problems };
}
