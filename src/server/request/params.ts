/**
 * Query-param keys that are not a root reserved word: a filter column with an
 * optional embed path (`clients.projects.name`, `data->>a`, `"a.b"`), or an
 * embedded reserved word (`clients.order`, `clients.limit`, `clients.offset`,
 * `clients.or`, `clients.not.and`, and the root `or` / `and` / `not.or` /
 * `not.and`). A quoted segment is never a keyword: `clients."order"` is a column.
 */
import { PgliveError } from '../errors.js';
import type { EmbedPath, Field, JsonStep } from './types.js';
import { Cursor, show } from './cursor.js';
import { readJsonPath, readName } from './names.js';

export type ParamKey =
  | { readonly kind: 'filter'; readonly path: EmbedPath; readonly field: Field }
  | { readonly kind: 'order' | 'limit' | 'offset'; readonly path: EmbedPath }
  | { readonly kind: 'logic'; readonly path: EmbedPath; readonly op: 'and' | 'or'; readonly negated: boolean };

interface Segment {
  readonly name: string;
  readonly quoted: boolean;
  readonly json: readonly JsonStep[];
}

const isKeyword = (s: Segment | undefined, word: string): boolean =>
  s !== undefined && !s.quoted && s.json.length === 0 && s.name === word;

export function parseParamKey(key: string, maxDepth: number): ParamKey {
  const c = new Cursor(key, `${show(key)} parameter`);
  const segments: Segment[] = [];
  do {
    const { name, quoted } = readName(c, 'a column name');
    segments.push({ name, quoted, json: readJsonPath(c) });
    c.skipWs();
  } while (c.eat('.'));
  c.end();

  const last = segments[segments.length - 1]!;
  let prefix = segments.slice(0, -1);
  let result: ParamKey;
  if (prefix.length > 0 && (['order', 'limit', 'offset'] as const).some((w) => isKeyword(last, w))) {
    result = { kind: last.name as 'order' | 'limit' | 'offset', path: names(prefix, c) };
  } else if (isKeyword(last, 'and') || isKeyword(last, 'or')) {
    const negated = isKeyword(prefix[prefix.length - 1], 'not');
    if (negated) prefix = prefix.slice(0, -1);
    result = { kind: 'logic', path: names(prefix, c), op: last.name as 'and' | 'or', negated };
  } else {
    result = { kind: 'filter', path: names(prefix, c), field: { name: last.name, json: last.json } };
  }
  if (result.path.length > maxDepth) {
    throw new PgliveError('PGLIVE107', `${c.context}: embed path deeper than ${maxDepth} levels`);
  }
  return result;
}

function names(segments: readonly Segment[], c: Cursor): string[] {
  return segments.map((s) => {
    if (s.json.length > 0) c.fail(`a JSON path is only allowed on the last segment, not on ${show(s.name)}`);
    return s.name;
  });
}
