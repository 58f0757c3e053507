/**
 * A reader for PostgreSQL's pg_node_tree text (pg_rewrite.ev_action), enough
 * to learn where each column of a view comes from.
 *
 * The parser records, in every top-level TargetEntry of a view's query, the
 * table and column a plain column reference resolves to (resorigtbl /
 * resorigcol). That is what PostgREST uses to carry foreign keys over to
 * views; reading it here avoids PostgREST's regex-to-JSON rewrite of the
 * whole tree in SQL.
 *
 * Token rules follow src/backend/nodes/read.c (pg_strtok): `(){}` are
 * single-character tokens; anything else runs to whitespace or one of those,
 * and a backslash escapes the next character. A token starting with `:` is a
 * field name unless escaped. A string value that itself starts with `:` would
 * be mistaken for a field name; fields are stored last-wins and the real
 * fields of a TargetEntry follow its resname, so that cannot change the result.
 */

export interface PgNode {
  readonly type: string;
  /** field name (without ':') → the values that followed it */
  readonly fields: Readonly<Record<string, readonly NodeValue[]>>;
}
export type NodeValue = string | PgNode | readonly NodeValue[];

interface Token {
  readonly text: string;
  /** true for `(){}` punctuation */
  readonly punct: boolean;
  /** true when the raw token began with a backslash (never a field name) */
  readonly escaped: boolean;
}

function* tokens(src: string): Generator<Token> {
  let i = 0;
  const n = src.length;
  while (i < n) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '{' || ch === '}') {
      i++;
      yield { text: ch, punct: true, escaped: false };
      continue;
    }
    const escaped = ch === '\\';
    let text = '';
    while (i < n) {
      const c = src[i]!;
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '(' || c === ')' || c === '{' || c === '}') break;
      if (c === '\\' && i + 1 < n) {
        text += src[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    yield { text, punct: false, escaped };
  }
}

class Parser {
  private readonly toks: Token[];
  private pos = 0;

  constructor(src: string) {
    this.toks = [...tokens(src)];
  }

  parseAll(): NodeValue[] {
    const out: NodeValue[] = [];
    while (this.pos < this.toks.length) out.push(this.value());
    return out;
  }

  private value(): NodeValue {
    const t = this.toks[this.pos++]!;
    if (t.punct && t.text === '{') return this.node();
    if (t.punct && t.text === '(') return this.list();
    if (t.punct) throw new Error(`pg_node_tree: unexpected '${t.text}'`);
    return t.text;
  }

  private node(): PgNode {
    const typeTok = this.toks[this.pos++];
    if (!typeTok || typeTok.punct) throw new Error('pg_node_tree: node without a type');
    const fields: Record<string, NodeValue[]> = {};
    let current: NodeValue[] = [];
    for (;;) {
      const t = this.toks[this.pos];
      if (!t) throw new Error('pg_node_tree: unterminated node');
      if (t.punct && t.text === '}') {
        this.pos++;
        return { type: typeTok.text, fields };
      }
      if (!t.punct && !t.escaped && t.text.startsWith(':')) {
        this.pos++;
        current = [];
        fields[t.text.slice(1)] = current;
        continue;
      }
      current.push(this.value());
    }
  }

  private list(): NodeValue[] {
    const out: NodeValue[] = [];
    for (;;) {
      const t = this.toks[this.pos];
      if (!t) throw new Error('pg_node_tree: unterminated list');
      if (t.punct && t.text === ')') {
        this.pos++;
        return out;
      }
      out.push(this.value());
    }
  }
}

export function parseNodeTree(src: string): NodeValue[] {
  return new Parser(src).parseAll();
}

function isNode(v: NodeValue | undefined, type: string): v is PgNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as PgNode).type === type;
}

function scalar(node: PgNode, field: string): string | undefined {
  const v = node.fields[field]?.[0];
  return typeof v === 'string' ? v : undefined;
}

export interface ColumnOrigin {
  /** the view's column number (attnum) */
  readonly resno: number;
  /** oid of the relation the column is read from (a table, or another view) */
  readonly relOid: number;
  readonly attnum: number;
}

/**
 * For the `_RETURN` rule of a view: each output column that is a plain
 * reference to a column of some relation. Computed columns are absent.
 */
export function viewColumnOrigins(evAction: string): ColumnOrigin[] {
  const top = parseNodeTree(evAction);
  const rules = top[0];
  const query = Array.isArray(rules) ? rules[0] : rules;
  if (!isNode(query, 'QUERY')) return [];
  const targetList = query.fields['targetList']?.[0];
  if (!Array.isArray(targetList)) return [];
  const out: ColumnOrigin[] = [];
  for (const te of targetList as readonly NodeValue[]) {
    if (!isNode(te, 'TARGETENTRY') || scalar(te, 'resjunk') === 'true') continue;
    const resno = Number(scalar(te, 'resno'));
    const relOid = Number(scalar(te, 'resorigtbl'));
    const attnum = Number(scalar(te, 'resorigcol'));
    if (resno > 0 && relOid > 0 && attnum > 0) out.push({ resno, relOid, attnum });
  }
  return out;
}
