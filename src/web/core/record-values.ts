/**
 * Between database values (as the REST API sends them) and form drafts (what
 * the widgets edit): a widget per PostgreSQL type, validation before sending,
 * and the literal defaults a new-row form can show.
 */
import type { MetaColumn, MetaRelation } from './meta.js';

export type WidgetKind =
  | 'text' | 'textarea' | 'integer' | 'numeric' | 'float' | 'boolean'
  | 'date' | 'time' | 'timestamp' | 'timestamptz' | 'enum' | 'json' | 'uuid' | 'interval'
  | 'array' | 'fk' | 'bytea';

/** a draft: text for most widgets, a boolean for checkboxes, a list for arrays */
export type Draft = string | boolean | null | Draft[];

const INT_RANGE: Record<string, [bigint, bigint]> = {
  int2: [-32768n, 32767n],
  int4: [-2147483648n, 2147483647n],
  int8: [-9223372036854775808n, 9223372036854775807n],
};

/** the single-column foreign key a column is, if any (composite keys get plain widgets) */
export function foreignKeyOf(rel: MetaRelation, column: string): MetaRelation['foreignKeys'][number] | null {
  return rel.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column) ?? null;
}

/** the widget of one element (arrays: of each element) */
export function scalarWidget(column: MetaColumn): WidgetKind {
  const t = column.baseTypeName;
  if (column.enumLabels) return 'enum';
  if (t in INT_RANGE) return 'integer';
  if (t === 'numeric' || t === 'money') return 'numeric';
  if (t === 'float4' || t === 'float8') return 'float';
  if (t === 'bool') return 'boolean';
  if (t === 'date' || t === 'time' || t === 'timestamp' || t === 'timestamptz') return t;
  if (t === 'timetz') return 'time';
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'uuid') return 'uuid';
  if (t === 'interval') return 'interval';
  if (t === 'bytea') return 'bytea';
  // text without a length limit is often long: give it room
  if (t === 'text' && column.maxLength === null) return 'textarea';
  return 'text';
}

export function widgetOf(rel: MetaRelation, column: MetaColumn): WidgetKind {
  if (column.arrayDims > 0) return 'array';
  if (foreignKeyOf(rel, column.name)) return 'fk';
  return scalarWidget(column);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** an instant as the local wall-clock time a datetime-local input shows */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** a datetime-local value (the browser's zone) as an instant with an explicit offset */
export function fromLocalInput(local: string): string | null {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function scalarDraft(value: unknown, column: MetaColumn): Draft {
  if (value === null || value === undefined) return scalarWidget(column) === 'boolean' ? null : '';
  switch (scalarWidget(column)) {
    case 'boolean':
      return value === true || value === 't' || value === 'true';
    case 'json':
      return JSON.stringify(value, null, 2);
    case 'timestamptz':
      return typeof value === 'string' ? toLocalInput(value) : String(value);
    case 'timestamp':
      return String(value).slice(0, 19);
    case 'time':
      return String(value).slice(0, 8);
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

export function toDraft(value: unknown, column: MetaColumn): Draft {
  if (column.arrayDims > 0) return Array.isArray(value) ? value.map((v) => scalarDraft(v, column)) : [];
  return scalarDraft(value, column);
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

function parseScalar(draft: Draft, column: MetaColumn): Parsed {
  const w = scalarWidget(column);
  if (w === 'boolean') return draft === null ? ok(null) : ok(draft === true);
  const s = typeof draft === 'string' ? draft : '';
  // an empty field is NULL, except for text columns that cannot be NULL (there it is '')
  if (s.trim() === '') return (w === 'text' || w === 'textarea') && !column.nullable ? ok('') : ok(null);
  switch (w) {
    case 'integer': {
      const t = s.trim();
      if (!/^[+-]?\d+$/.test(t)) return bad('a whole number');
      const [lo, hi] = INT_RANGE[column.baseTypeName]!;
      const n = BigInt(t);
      if (n < lo || n > hi) return bad(`between ${lo} and ${hi}`);
      return ok(column.baseTypeName === 'int8' ? n.toString() : Number(n));
    }
    case 'numeric': {
      const t = s.trim().replace(/^\+/, '');
      if (!/^-?(?:\d+\.?\d*|\.\d+)$/.test(t)) return bad('a number such as 12.50');
      if (column.precision !== null && column.scale !== null) {
        const [int = '', frac = ''] = t.replace('-', '').split('.');
        const intDigits = int.replace(/^0+/, '').length;
        if (intDigits > column.precision - column.scale) return bad(`at most ${column.precision - column.scale} digits before the point`);
        if (frac.length > column.scale) return bad(`at most ${column.scale} decimals`);
      }
      return ok(t);
    }
    case 'float': {
      const n = Number(s.trim());
      return Number.isFinite(n) ? ok(n) : bad('a number');
    }
    case 'json':
      try {
        return ok(JSON.parse(s));
      } catch (e) {
        return bad(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
    case 'uuid':
      return /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s.trim()) ? ok(s.trim()) : bad('a UUID such as 123e4567-e89b-12d3-a456-426614174000');
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(s) ? ok(s) : bad('a date');
    case 'time':
      return /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?)?$/.test(s) ? ok(s) : bad('a time such as 09:30');
    case 'timestamp':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/.test(s) ? ok(s) : bad('a date and time');
    case 'timestamptz': {
      const iso = fromLocalInput(s);
      return iso === null ? bad('a date and time') : ok(iso);
    }
    case 'enum':
      return column.enumLabels?.includes(s) ? ok(s) : bad(`one of ${column.enumLabels?.join(', ')}`);
    default:
      return ok(s);
  }
}

/** the value to send for a draft, or why it cannot be sent (before asking the database) */
export function fromDraft(draft: Draft, column: MetaColumn): Parsed {
  let r: Parsed;
  if (column.arrayDims > 0) {
    const items = Array.isArray(draft) ? draft : [];
    const values: unknown[] = [];
    for (const [i, item] of items.entries()) {
      const p = parseScalar(item, column);
      if (!p.ok) return bad(`item ${i + 1}: ${p.error}`);
      values.push(p.value);
    }
    r = ok(values);
  } else {
    r = parseScalar(draft, column);
  }
  if (r.ok && r.value === null && !column.nullable && column.default === null && column.identity === null && !column.generated) {
    return bad('required');
  }
  return r;
}

/**
 * The draft a new-row form starts with: the default when it is a literal
 * ('0', 'false', "'new'::order_status", "'{}'::text[]"), else empty — a
 * computed default (now(), nextval(…), gen_random_uuid()) is left to the
 * database by not sending the field.
 */
export function defaultDraft(column: MetaColumn): { draft: Draft; computed: string | null } {
  const d = column.default;
  if (d === null) return { draft: toDraft(null, column), computed: null };
  const m = /^'((?:[^']|'')*)'(?:::[\w ."[\]]+)?$/.exec(d) ?? /^\(?(-?\d+(?:\.\d+)?)\)?(?:::[\w ."[\]]+)?$/.exec(d);
  if (m) {
    const text = m[1]!.replaceAll("''", "'");
    if (column.arrayDims > 0) {
      const inner = /^\{(.*)\}$/.exec(text)?.[1];
      return inner === undefined ? { draft: [], computed: d } : { draft: inner === '' ? [] : inner.split(','), computed: null };
    }
    if (scalarWidget(column) === 'boolean') return { draft: text === 'true' || text === 't', computed: null };
    return { draft: text, computed: null };
  }
  if (/^(true|false)$/i.test(d)) return { draft: d.toLowerCase() === 'true', computed: null };
  return { draft: toDraft(null, column), computed: d };
}

/** human hints for a field: type, domain and its checks */
export function describeColumn(column: MetaColumn): string {
  const parts = [column.domain ? `${column.domain} (a ${column.baseTypeName} domain)` : column.type];
  for (const c of column.checks) parts.push(c.replace(/^CHECK\s*/i, 'check '));
  return parts.join(' · ');
}
