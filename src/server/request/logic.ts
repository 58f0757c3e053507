/**
 * Logic trees: `or=(a.eq.1,and(b.gt.2,not.or(c.is.null,d.in.(1,2))))`.
 *
 *   group := '(' item (',' item)* ')'
 *   item  := ['not.'] ('and' | 'or') group
 *          | field '.' filter-expr          (field may carry a JSON path)
 *
 * Nesting is bounded by maxDepth so hostile input cannot exhaust the stack.
 */
import { PgliveError } from '../errors.js';
import type { Condition, LogicTree } from './types.js';
import { Cursor } from './cursor.js';
import { parseFilterExpr, spend, type ConditionBudget } from './filter.js';
import { readField } from './names.js';

export interface LogicLimits {
  readonly maxDepth: number;
  readonly budget: ConditionBudget;
}

export function parseLogicTree(
  src: string,
  type: 'and' | 'or',
  negated: boolean,
  context: string,
  limits: LogicLimits,
): LogicTree {
  const c = new Cursor(src, context);
  c.skipWs();
  const children = parseGroup(c, 1, limits);
  c.skipWs();
  c.end();
  return { type, negated, children };
}

function parseGroup(c: Cursor, depth: number, limits: LogicLimits): Condition[] {
  if (depth > limits.maxDepth) {
    throw new PgliveError('PGLIVE107', `${c.context}: logic tree nested deeper than ${limits.maxDepth} levels`);
  }
  if (!c.eat('(')) c.fail('expected "(" to open a list of conditions, as in or=(a.eq.1,b.eq.2)');
  const children: Condition[] = [];
  do {
    c.skipWs();
    children.push(parseItem(c, depth, limits));
    c.skipWs();
  } while (c.eat(','));
  if (!c.eat(')')) c.fail('expected "," or ")"');
  return children;
}

function parseItem(c: Cursor, depth: number, limits: LogicLimits): Condition {
  const negated = c.at('not.and(') || c.at('not.or(');
  if (negated) c.pos += 'not.'.length;
  for (const type of ['and', 'or'] as const) {
    if (c.at(`${type}(`)) {
      c.pos += type.length;
      return { type, negated, children: parseGroup(c, depth + 1, limits) };
    }
  }
  spend(limits.budget, c.context);
  const field = readField(c);
  if (!c.eat('.')) c.fail('expected "." between the column and the operator');
  return parseFilterExpr(c, field, 'tree');
}
