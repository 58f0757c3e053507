/**
 * Filter expressions, as a query param value (`age=not.gt.13`) or inside a
 * logic tree (`or=(age.gt.13,…)`):
 *
 *   expr  := ['not.'] op ['(' modifier ')'] '.' value
 *   modifier := 'any' | 'all'  (eq neq gt gte lt lte like ilike match imatch)
 *             | language       (fts plfts phfts wfts)
 *
 * A param value runs to the end of the string; inside a logic tree a value
 * ends at `,` or `)` unless double-quoted or a `{…}` array literal (PostgREST's
 * "reserved characters" rule). Values stay strings: `*` in like patterns is
 * translated by sql/, and casting is PostgreSQL's job.
 */
import { PgliveError } from '../errors.js';
import { FILTER_OPERATORS, type Field, type Filter, type FilterOperator, type FilterValue, type Quantifier } from './types.js';
import { Cursor, show } from './cursor.js';
import { tryQuoted } from './names.js';

const OPERATORS: ReadonlySet<string> = new Set(FILTER_OPERATORS);
const QUANTIFIABLE: ReadonlySet<string> = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);
const FTS: ReadonlySet<string> = new Set(['fts', 'plfts', 'phfts', 'wfts']);
const IS_VALUES = new Set(['null', 'true', 'false', 'unknown']);

export type ValueMode = 'param' | 'tree';

/** counts leaf filters across the whole request against opts.maxConditions */
export interface ConditionBudget {
  count: number;
  readonly max: number;
}

export function spend(budget: ConditionBudget, context: string): void {
  if (++budget.count > budget.max) {
    throw new PgliveError('PGLIVE107', `${context}: more than ${budget.max} filter conditions in one request`);
  }
}

function readWord(c: Cursor): string {
  const start = c.pos;
  while (!c.eof && /[A-Za-z_]/.test(c.peek())) c.pos++;
  return c.src.slice(start, c.pos);
}

/** parses `[not.]op[(mod)].value` at the cursor into a filter on `field` */
export function parseFilterExpr(c: Cursor, field: Field, mode: ValueMode): Filter {
  let negated = false;
  let word = readWord(c);
  if (word === 'not' && c.at('.')) {
    negated = true;
    c.pos++;
    word = readWord(c);
  }
  if (word === '') c.fail('expected an operator (eq, gt, in, is, …)');
  if (!c.at('.') && !c.at('(')) {
    if (OPERATORS.has(word)) c.fail(`expected "." after the operator ${show(word)}`);
    c.fail(`expected "operator.value" (e.g. eq.${word}), got ${show(word)}`);
  }
  if (!OPERATORS.has(word)) c.fail(`unknown operator ${show(word)}`, 'PGLIVE101');
  const operator = word as FilterOperator;

  let quantifier: Quantifier | null = null;
  let language: string | null = null;
  if (c.eat('(')) {
    const modifier = c.readUntil(')');
    c.expect(')');
    if (QUANTIFIABLE.has(operator) && (modifier === 'any' || modifier === 'all')) quantifier = modifier;
    else if (FTS.has(operator) && /^[\p{L}\p{N}_]+$/u.test(modifier)) language = modifier;
    else if (FTS.has(operator)) c.fail(`invalid text search language ${show(modifier)}`);
    else if (QUANTIFIABLE.has(operator)) c.fail(`expected (any) or (all) after ${show(operator)}, got ${show(`(${modifier})`)}`);
    else c.fail(`the operator ${show(operator)} takes no "(…)" modifier`);
  }
  c.expect('.');
  const value = readValue(c, operator, quantifier !== null, mode);
  return { type: 'filter', field, negated, operator, quantifier, language, value };
}

function readValue(c: Cursor, operator: FilterOperator, quantified: boolean, mode: ValueMode): FilterValue {
  if (operator === 'in') {
    if (!c.eat('(')) c.fail('expected a list "(a,b,…)" after "in."');
    const values = readList(c);
    if (mode === 'param') c.end();
    return { kind: 'list', values };
  }
  if (quantified) {
    if (c.peek() !== '{') c.fail(`expected an array "{a,b,…}" after ${show(operator)} with (any)/(all)`);
    const values = readArrayLiteral(c);
    if (mode === 'param') c.end();
    return { kind: 'list', values };
  }
  const raw = mode === 'param' ? c.src.slice(c.pos) : readTreeScalar(c);
  if (mode === 'param') c.pos = c.src.length;
  if (operator === 'is') {
    const v = raw.toLowerCase();
    if (!IS_VALUES.has(v)) c.fail(`"is" takes null, true, false or unknown, got ${show(raw)}`);
    return { kind: 'is', value: v as 'null' | 'true' | 'false' | 'unknown' };
  }
  return { kind: 'scalar', value: raw };
}

/**
 * Items of `(a,"b,c",d)`, cursor after `(`, left after `)`. A quoted item
 * must be followed by `,` or `)`; otherwise it is read as raw text, as
 * PostgREST does. Items are not trimmed.
 */
function readList(c: Cursor): string[] {
  const values: string[] = [];
  if (c.eat(')')) return values;
  for (;;) {
    values.push(readDelimited(c, ',)'));
    if (c.eat(',')) continue;
    if (c.eat(')')) return values;
    c.fail('expected "," or ")" in the list');
  }
}

function readDelimited(c: Cursor, stops: string): string {
  if (c.peek() === '"') {
    const start = c.pos;
    const quoted = tryQuoted(c);
    if (quoted !== null && (c.eof || stops.includes(c.peek()))) return quoted;
    c.pos = start;
  }
  return c.readUntil(stops);
}

/** a scalar inside a logic tree: "quoted", {array,literal} or raw up to `,` / `)` */
function readTreeScalar(c: Cursor): string {
  if (c.peek() === '{') {
    let close = c.pos + 1;
    while (close < c.src.length && c.src[close] !== '}' && c.src[close] !== '{') close++;
    const next = c.src[close + 1];
    if (c.src[close] === '}' && (next === undefined || next === ',' || next === ')')) {
      const literal = c.src.slice(c.pos, close + 1);
      c.pos = close + 1;
      return literal;
    }
  }
  return readDelimited(c, ',)');
}

/**
 * Items of a PostgreSQL array literal `{a, b,"c,d"}` (for any/all), cursor on
 * `{`. Unquoted items are trimmed as PostgreSQL does; nested arrays are refused.
 */
function readArrayLiteral(c: Cursor): string[] {
  c.expect('{');
  const values: string[] = [];
  c.skipWs();
  if (c.eat('}')) return values;
  for (;;) {
    c.skipWs();
    let item: string | null = null;
    if (c.peek() === '"') {
      item = tryQuoted(c);
      if (item === null) c.fail('unterminated double quote in the array');
    } else {
      item = c.readUntil(',{}').trim();
      if (c.peek() === '{') c.fail('nested arrays are not supported');
    }
    values.push(item);
    c.skipWs();
    if (c.eat(',')) continue;
    if (c.eat('}')) return values;
    c.fail('expected "," or "}" in the array');
  }
}
