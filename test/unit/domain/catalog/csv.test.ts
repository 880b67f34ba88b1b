import { CsvSyntaxError, parseCsv } from '../../../../src/domain/catalog';

describe('parseCsv', () => {
  it('reads plain records with their line numbers', () => {
    expect(parseCsv('a,b\n1,2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"Milk, 2%","12"" pizza","two\nlines"\n').map((record) => record.fields)).toEqual([
      ['Milk, 2%', '12" pizza', 'two\nlines'],
    ]);
  });

  it('accepts CRLF, LF and lone CR line ends, and a last line without one', () => {
    expect(parseCsv('a\r\nb\nc\rd').map((record) => [record.line, record.fields])).toEqual([
      [1, ['a']],
      [2, ['b']],
      [3, ['c']],
      [4, ['d']],
    ]);
  });

  it('keeps a CRLF inside quotes as it is', () => {
    expect(parseCsv('"a\r\nb",c\r\n')[0].fields).toEqual(['a\r\nb', 'c']);
  });

  it('drops a byte-order mark', () => {
    expect(parseCsv('\uFEFFsku,name\n')[0].fields).toEqual(['sku', 'name']);
  });

  it('skips empty lines but counts them', () => {
    expect(parseCsv('a\n\n\r\nb\n\n').map((record) => record.line)).toEqual([1, 4]);
  });

  it('counts the line breaks inside quoted fields', () => {
    expect(parseCsv('a,"x\ny\r\nz"\nb\n').map((record) => record.line)).toEqual([1, 4]);
  });

  it('keeps empty fields, quoted or not, and a trailing comma', () => {
    expect(parseCsv('a,,"",\n')[0].fields).toEqual(['a', '', '', '']);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parseCsv('12" pizza,1\n')[0].fields).toEqual(['12" pizza', '1']);
  });

  it('marks a record with text after a closing quote, and reads on', () => {
    const records = parseCsv('"abc"x,1\n2,3\n');
    expect(records[0]).toEqual({ line: 1, fields: ['abcx', '1'], error: 'unexpected text "x" after a closing quote' });
    expect(records[1]).toEqual({ line: 2, fields: ['2', '3'] });
  });

  it('fails on a quote that is never closed, naming the line it opened on', () => {
    const parse = () => parseCsv('a\nb,"open\nc\n');
    expect(parse).toThrow(CsvSyntaxError);
    expect(parse).toThrow('the quoted field opened on line 2 is never closed');
  });

  it('reads nothing from an empty file', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
  });
});
