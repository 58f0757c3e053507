/**
 * Date and time formatters. PostgreSQL sends ISO text: `date` '2024-03-01',
 * `timestamp` '2024-03-01T10:00:00' (a wall-clock time without a zone: shown
 * as stored, never shifted), `timestamptz` '2024-03-01T10:00:00+00:00' (an
 * instant: shown in the viewer's zone, with the zone named).
 */

export type TemporalType = 'date' | 'timestamp' | 'timestamptz' | 'time' | 'timetz';

export function temporalType(baseTypeName: string): TemporalType | null {
  switch (baseTypeName) {
    case 'date':
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
      return baseTypeName;
    default:
      return null;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** the instant, or null for values a Date cannot hold ('infinity', BC dates, garbage) */
export function parseTemporal(value: unknown, type: TemporalType): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string' || type === 'time' || type === 'timetz') return null;
  const m = ISO.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  const ms = frac.slice(0, 3).padEnd(3, '0');
  // a zoneless value (date, timestamp) is read as UTC and shown in UTC: its wall-clock time as stored
  let z = zone ?? 'Z';
  if (/^[+-]\d{2}$/.test(z)) z += ':00';
  else if (/^[+-]\d{4}$/.test(z)) z = `${z.slice(0, 3)}:${z.slice(3)}`;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${z}`);
  return Number.isNaN(t) ? null : new Date(t);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

export interface DateOptions {
  readonly locale?: string | undefined;
  /** the viewer's zone for timestamptz (default: the browser's) */
  readonly timeZone?: string | undefined;
}

/** zoneless types are shown in UTC, which is how parseTemporal read them */
function zoneFor(type: TemporalType, o: DateOptions): string | undefined {
  return type === 'timestamptz' ? o.timeZone : 'UTC';
}

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

export function formatDate(d: Date, type: TemporalType, o: DateOptions): string {
  return dateFormat(o.locale, { ...DAY, timeZone: zoneFor(type, o) }).format(d);
}

export function formatDateTime(d: Date, type: TemporalType, o: DateOptions): string {
  if (type === 'date') return formatDate(d, type, o);
  const zoneName: Intl.DateTimeFormatOptions = type === 'timestamptz' ? { timeZoneName: 'short' } : {};
  return dateFormat(o.locale, { ...DAY, ...CLOCK, ...zoneName, timeZone: zoneFor(type, o) }).format(d);
}

export function formatTimeOf(d: Date, type: TemporalType, o: DateOptions): string {
  const zoneName: Intl.DateTimeFormatOptions = type === 'timestamptz' ? { timeZoneName: 'short' } : {};
  return dateFormat(o.locale, { ...CLOCK, ...zoneName, timeZone: zoneFor(type, o) }).format(d);
}

/** a `time` value ('09:30:00', '09:30:15.5+02') as text: seconds only when they are not zero */
export function formatTimeText(value: string): string {
  const m = /^(\d{2}:\d{2})(?::(\d{2}(?:\.\d+)?))?(.*)$/.exec(value);
  if (!m) return value;
  const [, hm, sec, rest = ''] = m;
  return `${hm}${sec && Number(sec) !== 0 ? `:${sec}` : ''}${rest}`;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "3 minutes ago", "in 2 days", "now": the caller re-renders every minute */
export function formatRelative(d: Date, now: number, locale?: string): string {
  let f = relativeFormats.get(locale ?? '');
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relativeFormats.set(locale ?? '', f);
  }
  const seconds = (d.getTime() - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return f.format(Math.trunc(seconds / size), unit);
  }
  return f.format(0, 'second');
}
