/**
 * The `select` parameter (PostgREST "vertical filtering" and "resource embedding"):
 *
 *   items  := item (',' item)*
 *   item   := '*'
 *           | '...' name options '(' items? ')'                  spread
 *           | [alias ':'] name options '(' items? ')'            embed
 *           | [alias ':'] name json-path ['::' type]             column
 *   options:= ['!' hint] ['!' ('inner' | 'left')]  (or just '!inner' / '!left')
 *
 * An empty embed `rel()` is valid: it embeds only for filtering (PostgREST ≥ 11).
 */
import { PgliveError } from '../errors.js';
import type { SelectItem } from './types.js';
import { Cursor, show } from './cursor.js';
import { readJsonPath, readName } from './names.js';

const JOIN_TYPES = new Set(['inner', 'left']);

export function parseSelect(src: string, context: string, maxDepth: number): SelectItem[] {
  const c = new Cursor(src, context);
  c.skipWs();
  if (c.eof) return [];
  const items = parseItems(c, 0, maxDepth);
  c.end();
  return items;
}

function parseItems(c: Cursor, depth: number, maxDepth: number): SelectItem[] {
  const items: SelectItem[] = [];
  do {
    items.push(parseItem(c, depth, maxDepth));
    c.skipWs();
  } while (c.eat(','));
  return items;
}

function parseItem(c: Cursor, depth: number, maxDepth: number): SelectItem {
  c.skipWs();
  if (c.eat('*')) return { type: 'star' };
  if (c.eat('...')) {
    const { name } = readName(c, 'a relation name after "..."');
    return parseEmbed(c, name, null, true, depth, maxDepth);
  }
  const first = readName(c, 'a column or relation name').name;
  let alias: string | null = null;
  let name = first;
  if (c.at(':') && !c.at('::')) {
    c.pos++;
    alias = first;
    name = readName(c, `a column or relation name after the alias ${show(first)}`).name;
  }
  if (c.at('!') || c.at('(')) return parseEmbed(c, name, alias, false, depth, maxDepth);
  const json = readJsonPath(c);
  c.skipWs();
  const cast = c.eat('::') ? readCast(c) : null;
  return { type: 'column', field: { name, json }, alias, cast };
}

function parseEmbed(
  c: Cursor,
  name: string,
  alias: string | null,
  spread: boolean,
  depth: number,
  maxDepth: number,
): SelectItem {
  let hint: string | null = null;
  let inner = false;
  if (c.eat('!')) {
    const first = readName(c, 'a hint or join type after "!"').name;
    if (JOIN_TYPES.has(first)) {
      inner = first === 'inner';
    } else {
      hint = first;
      if (c.eat('!')) {
        const join = readName(c, 'a join type after "!"').name;
        if (!JOIN_TYPES.has(join)) c.fail(`unknown join type ${show(join)} (use !inner or !left)`);
        inner = join === 'inner';
      }
    }
  }
  if (depth + 1 > maxDepth) {
    throw new PgliveError('PGLIVE107', `${c.context}: embedding nested deeper than ${maxDepth} levels`);
  }
  if (!c.eat('(')) c.fail(`expected "(" after the embedded relation ${show(name)}`);
  c.skipWs();
  const select = c.at(')') ? [] : parseItems(c, depth + 1, maxDepth);
  c.expect(')');
  return { type: 'embed', name, alias, hint, inner, spread, select };
}

/** `::int`, `::double precision`, `::text[]`: validated later by plan/ */
function readCast(c: Cursor): string {
  c.skipWs();
  const start = c.pos;
  while (!c.eof && /[\p{L}\p{N}_ [\]]/u.test(c.peek())) c.pos++;
  const type = c.src.slice(start, c.pos).trim();
  if (type === '') c.fail('expected a type name after "::"');
  return type;
}
