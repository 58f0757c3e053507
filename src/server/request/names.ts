/**
 * Names and fields, the atoms of every query-string grammar.
 *
 * As in PostgREST an unquoted name is a run of letters, digits, `_`, `$`,
 * spaces and hyphens (a hyphen not starting `->`), trimmed: so `Unit%20Price`
 * and `select=id, name` work. Anything else (`.`, `,`, `:`, `(`, …) needs
 * double quotes, where `\` escapes the next character.
 */
import type { Field, JsonStep } from './types.js';
import { Cursor, show } from './cursor.js';

const IDENT_CHAR = /^[\p{L}\p{M}\p{N}_$ ]$/u;

function identLength(c: Cursor): number {
  const ch = c.src[c.pos];
  if (ch === undefined) return 0;
  if (ch === '-') return c.src[c.pos + 1] === '>' ? 0 : 1;
  if (IDENT_CHAR.test(ch)) return 1;
  // letters outside the BMP come as surrogate pairs
  const cp = c.src.codePointAt(c.pos)!;
  return cp > 0xffff && IDENT_CHAR.test(String.fromCodePoint(cp)) ? 2 : 0;
}

/** an unquoted name, trimmed; null when there is none here */
export function readIdentifier(c: Cursor): string | null {
  const start = c.pos;
  for (let n = identLength(c); n > 0; n = identLength(c)) c.pos += n;
  const name = c.src.slice(start, c.pos).trim();
  return name === '' ? null : name;
}

/**
 * A double-quoted string with `\` escapes, cursor on the opening quote.
 * Returns null (cursor unchanged) when it is not terminated, so callers that
 * fall back to an unquoted reading can.
 */
export function tryQuoted(c: Cursor): string | null {
  if (c.peek() !== '"') return null;
  const start = c.pos;
  let out = '';
  for (let i = c.pos + 1; i < c.src.length; i++) {
    const ch = c.src[i]!;
    if (ch === '\\') {
      i++;
      if (i >= c.src.length) break;
      out += c.src[i];
    } else if (ch === '"') {
      c.pos = i + 1;
      return out;
    } else {
      out += ch;
    }
  }
  c.pos = start;
  return null;
}

export interface Name {
  readonly name: string;
  /** written in double quotes: never a keyword (`"order"` is a column) */
  readonly quoted: boolean;
}

export function readName(c: Cursor, what = 'a name'): Name {
  c.skipWs();
  if (c.peek() === '"') {
    const name = tryQuoted(c);
    if (name === null) c.fail('unterminated double quote');
    if (name === '') c.fail(`expected ${what}, got an empty quoted name`);
    c.skipWs();
    return { name, quoted: true };
  }
  const name = readIdentifier(c);
  if (name === null) c.fail(`expected ${what}`);
  c.skipWs();
  return { name, quoted: false };
}

/** `->a->>b`, `->0`, `->-1`, `->"a.b"`; [] when there is no arrow here */
export function readJsonPath(c: Cursor): JsonStep[] {
  const steps: JsonStep[] = [];
  while (c.at('->')) {
    const arrow = c.eat('->>') ? '->>' : (c.eat('->'), '->');
    if (c.peek() === '"') {
      const key = tryQuoted(c);
      if (key === null) c.fail('unterminated double quote');
      steps.push({ arrow, key });
      continue;
    }
    const key = readIdentifier(c);
    if (key === null) c.fail(`expected a JSON key or index after ${show(arrow)}`);
    const index = /^-?\d+$/.test(key) ? Number(key) : NaN;
    steps.push({ arrow, key: Number.isSafeInteger(index) ? index : key });
  }
  return steps;
}

/** a column with an optional JSON path: `data->a->>b` */
export function readField(c: Cursor, what = 'a column name'): Field {
  const { name } = readName(c, what);
  return { name, json: readJsonPath(c) };
}

/** `columns=a,"b c"` / `on_conflict=a,b`: a non-empty list of plain names */
export function parseNameList(src: string, context: string): string[] {
  const c = new Cursor(src, context);
  const names: string[] = [];
  do names.push(readName(c, 'a column name').name);
  while (c.eat(','));
  c.end();
  return names;
}
