/**
 * The `order` parameter (root or `embed.order`):
 *
 *   terms := term (',' term)*
 *   term  := (relation '(' field ')' | field) ['.' ('asc'|'desc')] ['.' ('nullsfirst'|'nullslast')]
 *
 * `relation(field)` orders by a column of a to-one embed; plan/ checks the cardinality.
 */
import { syntaxError, Cursor, show } from './cursor.js';
import type { OrderTerm } from './types.js';
import { readField, readJsonPath, readName } from './names.js';

const NULLS = { nullsfirst: 'first', nullslast: 'last' } as const;

export function parseOrder(src: string, context: string): OrderTerm[] {
  const c = new Cursor(src, context);
  const terms: OrderTerm[] = [];
  do {
    c.skipWs();
    terms.push(parseTerm(c));
    c.skipWs();
  } while (c.eat(','));
  c.end();
  return terms;
}

function parseTerm(c: Cursor): OrderTerm {
  const start = c.pos;
  const { name } = readName(c, 'a column to order by');
  let relation: string | null = null;
  let field;
  if (c.eat('(')) {
    relation = name;
    field = readField(c);
    if (!c.eat(')')) c.fail(`expected ")" after the column of ${show(name)}`);
  } else {
    field = { name, json: readJsonPath(c) };
  }
  let direction: OrderTerm['direction'] = null;
  let nulls: OrderTerm['nulls'] = null;
  const term = (): string => {
    const comma = c.src.indexOf(',', c.pos);
    return c.src.slice(start, comma < 0 ? c.src.length : comma).trim();
  };
  if (c.eat('.')) {
    const word = c.readUntil(',.').trim();
    if (word === 'asc' || word === 'desc') {
      direction = word;
      if (c.eat('.')) {
        const option = c.readUntil(',.').trim();
        if (option !== 'nullsfirst' && option !== 'nullslast') {
          throw syntaxError(c.context, `unknown nulls option ${show(option)} in ${show(term())} (use nullsfirst or nullslast)`);
        }
        nulls = NULLS[option];
      }
    } else if (word === 'nullsfirst' || word === 'nullslast') {
      nulls = NULLS[word];
    } else {
      throw syntaxError(c.context, `unknown direction ${show(word)} in ${show(term())} (use asc or desc)`);
    }
  }
  return { relation, field, direction, nulls };
}
