/**
 * limit / offset params and the Range header.
 *
 * Error codes, matching PostgREST: a limit/offset that is not an integer at
 * all is a syntax error (PGRST100); a negative one, an unparsable Range
 * header or a Range whose end precedes its start is "range not satisfiable"
 * (PGRST103).
 */
import { PgliveError } from '../errors.js';
import { show } from './cursor.js';

/** an inclusive row interval; upper null = unbounded */
export interface RowInterval {
  readonly lower: number;
  readonly upper: number | null;
}

export const ALL_ROWS: RowInterval = { lower: 0, upper: null };

export function parseCount(param: string, raw: string): number {
  const text = raw.trim();
  if (/^-\d+$/.test(text)) {
    throw new PgliveError('PGRST103', `"${param}" parameter: must not be negative, got ${show(raw)}`);
  }
  if (!/^\d+$/.test(text)) {
    throw new PgliveError('PGRST100', `"${param}" parameter: expected a non-negative integer, got ${show(raw)}`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new PgliveError('PGRST103', `"${param}" parameter: ${show(raw)} is too large`);
  }
  return n;
}

/** the interval selected by offset/limit params */
export function paramInterval(offset: number | null, limit: number | null): RowInterval {
  const lower = offset ?? 0;
  return { lower, upper: limit === null ? null : lower + limit - 1 };
}

/** `Range: 0-24`, `Range: 10-` (an `items=` unit prefix is tolerated) */
export function parseRangeHeader(raw: string): RowInterval {
  const m = /^\s*(?:items\s*=\s*)?(\d+)\s*-\s*(\d*)\s*$/i.exec(raw);
  if (!m) {
    throw new PgliveError('PGRST103', `"Range" header: expected "first-last" or "first-" (e.g. 0-24), got ${show(raw)}`);
  }
  const lower = Number(m[1]);
  const upper = m[2] === '' || m[2] === undefined ? null : Number(m[2]);
  if (!Number.isSafeInteger(lower) || (upper !== null && !Number.isSafeInteger(upper))) {
    throw new PgliveError('PGRST103', `"Range" header: ${show(raw)} is too large`);
  }
  if (upper !== null && upper < lower) {
    throw new PgliveError('PGRST103', `"Range" header: the last row precedes the first in ${show(raw)}`);
  }
  return { lower, upper };
}

export function intersect(a: RowInterval, b: RowInterval): RowInterval {
  const lower = Math.max(a.lower, b.lower);
  const upper = a.upper === null ? b.upper : b.upper === null ? a.upper : Math.min(a.upper, b.upper);
  return { lower, upper };
}

/** back to offset/limit; an empty intersection becomes limit 0 */
export function toOffsetLimit(r: RowInterval): { offset: number; limit: number | null } {
  if (r.upper === null) return { offset: r.lower, limit: null };
  return { offset: r.lower, limit: Math.max(0, r.upper - r.lower + 1) };
}
