/**
 * A small RFC 4180 reader for CSV request bodies (csv-parse is not a
 * dependency; csv-stringify only writes). As in PostgREST, the first row
 * names the columns, an unquoted NULL is SQL null and an empty field is an
 * empty string. Blank lines are skipped.
 */
import { PgliveError } from '../errors.js';
import { show } from './cursor.js';

interface CsvField {
  readonly text: string;
  readonly quoted: boolean;
}

function bad(message: string): PgliveError {
  return new PgliveError('PGRST102', `CSV body: ${message}`);
}

/** rows of fields; accepts CRLF or LF line ends and a missing final newline */
export function readCsv(text: string): CsvField[][] {
  const rows: CsvField[][] = [];
  let row: CsvField[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  for (;;) {
    let field: CsvField;
    if (text[i] === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= n) throw bad(`unterminated quoted field on line ${rows.length + 1}`);
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            out += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += ch;
        i++;
      }
      field = { text: out, quoted: true };
      if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
        throw bad(`unexpected ${show(text[i]!)} after a quoted field on line ${rows.length + 1}`);
      }
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
      const raw = text.slice(start, i);
      if (raw.includes('"')) throw bad(`stray double quote in ${show(raw)} on line ${rows.length + 1}`);
      field = { text: raw, quoted: false };
    }
    row.push(field);
    if (i >= n) {
      rows.push(row);
      return rows;
    }
    const sep = text[i];
    i++;
    if (sep === ',') continue;
    if (sep === '\r' && text[i] === '\n') i++;
    rows.push(row);
    row = [];
    if (i >= n) return rows;
  }
}

/** header row + data rows → objects; every row must have the header's width */
export function csvToObjects(text: string): Record<string, string | null>[] {
  // blank lines (a trailing newline too many, say) carry no row
  const [header, ...rows] = readCsv(text).filter((row) => !(row.length === 1 && row[0]!.text === '' && !row[0]!.quoted));
  if (header === undefined) return [];
  const names = header.map((f) => f.text);
  if (names.some((name) => name === '')) throw bad('empty column name in the header row');
  if (new Set(names).size !== names.length) throw bad('duplicate column name in the header row');
  return rows.map((row, r) => {
    if (row.length !== names.length) {
      throw bad(`data row ${r + 1} has ${row.length} fields, the header has ${names.length}`);
    }
    return Object.fromEntries(row.map((f, j) => [names[j]!, !f.quoted && f.text === 'NULL' ? null : f.text]));
  });
}
