/**
 * An RFC 4180 CSV reader: comma-separated fields, double-quoted fields that may hold commas, line
 * breaks and doubled quotes (""), records ending in CRLF, LF or a lone CR. A leading byte-order mark
 * (Excel writes one) is dropped and empty lines are skipped.
 *
 * Two liberties, both for files spreadsheets really produce: a quote inside an unquoted field is kept
 * as text (12" pizza), and text after a closing quote is kept but marks the record with an error,
 * so that one bad row is rejected rather than the whole file.
 */

export interface CsvRecord {
  /** The 1-based physical line where the record starts; quoted line breaks count. */
  line: number;
  fields: string[];
  error?: string;
}

/** Only an unclosed quote is fatal: everything after it would be one field, so no row can be trusted. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export function parseCsv(content: string): CsvRecord[] {
  const text = content.startsWith('\uFEFF') ? content.slice(1) : content;
  const records: CsvRecord[] = [];
  let position = 0;
  let line = 1;

  /** Consumes the line break at `position`, if there is one. */
  const skipLineBreak = (): boolean => {
    if (text[position] === '\r') position += text[position + 1] === '\n' ? 2 : 1;
    else if (text[position] === '\n') position += 1;
    else return false;
    line += 1;
    return true;
  };

  const readQuoted = (record: CsvRecord): string => {
    const openedOn = line;
    let value = '';
    position += 1; // the opening quote
    for (;;) {
      if (position >= text.length) {
        throw new CsvSyntaxError(`the quoted field opened on line ${openedOn} is never closed`, openedOn);
      }
      const char = text[position];
      if (char === '"') {
        if (text[position + 1] !== '"') break;
        value += '"';
        position += 2;
      } else if (char === '\r' || char === '\n') {
        const start = position;
        skipLineBreak();
        value += text.slice(start, position);
      } else {
        value += char;
        position += 1;
      }
    }
    position += 1; // the closing quote
    const trailing = readUnquoted();
    if (trailing !== '') record.error ??= `unexpected text "${trailing}" after a closing quote`;
    return value + trailing;
  };

  const readUnquoted = (): string => {
    const start = position;
    while (position < text.length && !',\r\n'.includes(text[position])) position += 1;
    return text.slice(start, position);
  };

  while (position < text.length) {
    if (skipLineBreak()) continue; // an empty line
    const record: CsvRecord = { line, fields: [] };
    for (;;) {
      record.fields.push(text[position] === '"' ? readQuoted(record) : readUnquoted());
      if (text[position] !== ',') break;
      position += 1;
    }
    skipLineBreak();
    records.push(record);
  }
  return records;
}
