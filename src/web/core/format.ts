/**
 * How a value looks in a cell: formatCell(value, column, format, now) is pure,
 * so the grid, the record page and the format editor's live preview all show
 * the same thing. Without a configured format every PostgreSQL type gets a
 * sensible default (defaultFormat).
 */
import type { ColourRule, ColumnFormat, FormatKind } from '../../protocol/prefs.js';
import type { MetaColumn } from './meta.js';
import { formatBytes, formatCurrency, formatNumber, formatPercent, toNumber } from './format-numbers.js';
import {
  formatDate,
  formatDateTime,
  formatRelative,
  formatTimeOf,
  formatTimeText,
  parseTemporal,
  temporalType,
  type DateOptions,
} from './format-dates.js';

export type { ColourRule, ColumnFormat, ColumnPrefs, FormatKind, RelationPrefs } from '../../protocol/prefs.js';
export { FORMAT_KINDS, RULE_OPS } from '../../protocol/prefs.js';

export type CellKind = 'badge' | 'link' | 'image' | 'json' | 'text' | 'checkbox';

export interface CellView {
  text: string;
  /** a Mantine colour name or a CSS colour */
  tone?: string;
  kind?: CellKind;
  /** link target (http(s) or mailto only) or image source */
  href?: string;
  /** checkbox state */
  checked?: boolean;
  /** the value is SQL NULL */
  isNull?: boolean;
  /** text was shortened; `title` holds (the start of) the whole value */
  truncated?: boolean;
  title?: string;
  /** numbers line up on the right */
  align?: 'right';
}

export interface FormatEnv {
  readonly locale?: string;
  /** the viewer's zone for timestamptz; default the browser's */
  readonly timeZone?: string;
}

/** text longer than this is cut in cells unless the format says otherwise */
export const DEFAULT_TRUNCATE = 200;
const TITLE_MAX = 2000;

export const CHIP_PALETTE = ['blue', 'teal', 'grape', 'orange', 'cyan', 'pink', 'lime', 'indigo', 'yellow', 'violet'] as const;

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8', 'oid']);
const FLOAT_TYPES = new Set(['float4', 'float8']);

/** what a column shows when nobody configured a format */
export function defaultFormat(column: MetaColumn): ColumnFormat {
  const t = column.baseTypeName;
  if (column.enumLabels) return { kind: 'enum' };
  if (t === 'bool') return { kind: 'boolean', booleanStyle: 'badge' };
  if (INTEGER_TYPES.has(t)) return { kind: 'number', thousands: false };
  if (t === 'numeric') return column.scale !== null && column.scale !== undefined ? { kind: 'number', decimals: column.scale, thousands: true } : { kind: 'number', thousands: true };
  if (FLOAT_TYPES.has(t)) return { kind: 'number', thousands: false };
  if (t === 'date') return { kind: 'date' };
  if (t === 'timestamp' || t === 'timestamptz') return { kind: 'datetime' };
  if (t === 'time' || t === 'timetz') return { kind: 'time' };
  if (t === 'json' || t === 'jsonb') return { kind: 'json' };
  return { kind: 'text' };
}

/** the effective format: the configured one, or the type's default for 'auto' / none */
export function effectiveFormat(column: MetaColumn, fmt: ColumnFormat | undefined): ColumnFormat {
  if (!fmt || fmt.kind === 'auto') return { ...defaultFormat(column), ...(fmt ? withoutKind(fmt) : {}) };
  return fmt;
}

function withoutKind(f: ColumnFormat): Partial<ColumnFormat> {
  const { kind: _kind, ...rest } = f;
  return rest;
}

function cut(text: string, max: number): Pick<CellView, 'text' | 'truncated' | 'title'> {
  if (text.length <= max) return { text };
  return { text: `${text.slice(0, max)}…`, truncated: true, title: text.slice(0, TITLE_MAX) };
}

function plain(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** a stable chip colour for an enum label: its position among the labels, else a hash */
export function chipColour(label: string, labels: readonly string[] | null): string {
  const i = labels?.indexOf(label) ?? -1;
  if (i >= 0) return CHIP_PALETTE[i % CHIP_PALETTE.length]!;
  let h = 0;
  for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return CHIP_PALETTE[h % CHIP_PALETTE.length]!;
}

/** does `rule` hold for the raw value? numbers compare as numbers, everything else as text */
export function ruleMatches(rule: ColourRule, value: unknown): boolean {
  const empty = value === null || value === undefined || value === '';
  if (rule.op === 'empty') return empty;
  if (rule.op === 'notEmpty') return !empty;
  if (empty) return false;
  const text = plain(value);
  const target = rule.value ?? '';
  if (rule.op === 'contains') return text.toLowerCase().includes(target.toLowerCase());
  const a = toNumber(value);
  const b = toNumber(target);
  const cmp = a !== null && b !== null ? Math.sign(a - b) : text === target ? 0 : text < target ? -1 : 1;
  switch (rule.op) {
    case 'eq': return cmp === 0;
    case 'neq': return cmp !== 0;
    case 'lt': return cmp < 0;
    case 'lte': return cmp <= 0;
    case 'gt': return cmp > 0;
    case 'gte': return cmp >= 0;
  }
}

function ruleTone(rules: readonly ColourRule[] | undefined, value: unknown): string | undefined {
  return rules?.find((r) => ruleMatches(r, value))?.colour;
}

/** only links a browser opens harmlessly: no javascript: or data: URLs from the database */
export function safeHref(value: string, kind: 'link' | 'email' | 'image'): string | undefined {
  const v = value.trim();
  if (kind === 'email') return /^[^\s@]+@[^\s@]+$/.test(v) ? `mailto:${v}` : undefined;
  if (/^https?:\/\//i.test(v)) return v;
  if (kind === 'link' && /^www\./i.test(v)) return `https://${v}`;
  if (kind === 'image' && /^\/(?!\/)/.test(v)) return v;
  return undefined;
}

function truthy(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 't' || value === 'true') return true;
  if (value === 'f' || value === 'false') return false;
  return null;
}

/** the label of an embedded referenced row ({ id, name } → name), or the key itself */
function fkLabel(value: unknown, labelField: string | undefined): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const row = value as Record<string, unknown>;
    if (labelField && row[labelField] !== undefined && row[labelField] !== null) return plain(row[labelField]);
    const firstText = Object.values(row).find((v) => typeof v === 'string');
    return firstText !== undefined ? String(firstText) : plain(value);
  }
  return plain(value);
}

function scalar(value: unknown, column: MetaColumn, f: ColumnFormat, now: number, env: FormatEnv): CellView {
  const dateEnv: DateOptions = { locale: env.locale, timeZone: env.timeZone };
  const limit = f.truncate ?? DEFAULT_TRUNCATE;
  const num = { decimals: f.decimals, thousands: f.thousands };
  const orText = (s: string | null, extra: Partial<CellView> = {}): CellView =>
    s === null ? { kind: 'text', ...cut(plain(value), limit) } : { kind: 'text', text: s, align: 'right', ...extra };
  switch (f.kind) {
    case 'number':
      return orText(formatNumber(value, num, env.locale));
    case 'currency':
      return orText(formatCurrency(value, f.currency ?? 'USD', num, env.locale));
    case 'percent':
      return orText(formatPercent(value, f.percentOf ?? 'fraction', f.decimals, env.locale));
    case 'bytes':
      return orText(formatBytes(value, f.decimals, env.locale));
    case 'date':
    case 'time':
    case 'datetime':
    case 'relative': {
      const type = temporalType(column.baseTypeName) ?? 'timestamptz';
      const d = parseTemporal(value, type);
      if (!d) return { kind: 'text', text: typeof value === 'string' && (type === 'time' || type === 'timetz') ? formatTimeText(value) : plain(value) };
      const text =
        f.kind === 'date' ? formatDate(d, type, dateEnv)
          : f.kind === 'time' ? formatTimeOf(d, type, dateEnv)
            : f.kind === 'relative' ? formatRelative(d, now, env.locale)
              : formatDateTime(d, type, dateEnv);
      // the exact value stays one hover away
      return { kind: 'text', text, ...(f.kind === 'relative' ? { title: formatDateTime(d, type, dateEnv) } : {}) };
    }
    case 'boolean': {
      const b = truthy(value);
      if (b === null) return { kind: 'text', text: plain(value) };
      const text = b ? f.trueLabel ?? 'Yes' : f.falseLabel ?? 'No';
      if (f.booleanStyle === 'checkbox') return { kind: 'checkbox', checked: b, text };
      return { kind: 'badge', text, tone: b ? 'green' : 'gray' };
    }
    case 'enum': {
      const label = plain(value);
      return { kind: 'badge', text: label, tone: f.colours?.[label] ?? chipColour(label, column.enumLabels) };
    }
    case 'link':
    case 'email': {
      const text = plain(value);
      const href = safeHref(text, f.kind);
      return { ...cut(text, limit), kind: href ? 'link' : 'text', ...(href ? { href } : {}) };
    }
    case 'image': {
      const text = plain(value);
      const href = safeHref(text, 'image');
      return href ? { kind: 'image', text, href } : { kind: 'text', ...cut(text, limit) };
    }
    case 'json': {
      // collapsed: one line; the viewer expands it on demand
      const text = typeof value === 'string' && column.baseTypeName !== 'json' && column.baseTypeName !== 'jsonb' ? value : JSON.stringify(value);
      return { kind: 'json', ...cut(text, f.truncate ?? 120) };
    }
    case 'fk':
      return { kind: 'text', ...cut(fkLabel(value, f.labelField), limit) };
    case 'text':
    case 'auto':
      return { kind: 'text', ...cut(plain(value), limit) };
  }
}

/**
 * The cell for `value` of `column` under `fmt` (undefined: the type's default).
 * `now` (ms) drives relative dates; the caller re-renders them every minute.
 */
export function formatCell(value: unknown, column: MetaColumn, fmt: ColumnFormat | undefined, now: number, env: FormatEnv = {}): CellView {
  const f = effectiveFormat(column, fmt);
  const tone = ruleTone(f.rules, value);
  let view: CellView;
  if (value === null || value === undefined) {
    view = { kind: 'text', text: '', isNull: true };
  } else if (column.arrayDims > 0 && Array.isArray(value)) {
    // arrays: each element in the element type's format, as a comma list
    const parts = value.map((v) => (v === null ? 'NULL' : scalar(v, column, f, now, env).text));
    view = { kind: 'text', ...cut(parts.join(', '), f.truncate ?? DEFAULT_TRUNCATE) };
  } else {
    view = scalar(value, column, f, now, env);
  }
  return tone ? { ...view, tone } : view;
}

/** the kinds the format editor offers for a column, most fitting first */
export function formatKindsFor(column: MetaColumn): FormatKind[] {
  const t = column.baseTypeName;
  if (column.enumLabels) return ['auto', 'enum', 'text'];
  if (t === 'bool') return ['auto', 'boolean', 'text'];
  if (column.category === 'N') return ['auto', 'number', 'currency', 'percent', 'bytes', 'text'];
  if (temporalType(t)) return ['auto', 'datetime', 'date', 'time', 'relative', 'text'];
  if (t === 'json' || t === 'jsonb') return ['auto', 'json', 'text'];
  return ['auto', 'text', 'link', 'email', 'image', 'fk', 'enum', 'json'];
}
