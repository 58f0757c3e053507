/**
 * Request headers other than Prefer and Range: Accept (content negotiation),
 * Accept-Profile / Content-Profile (schema choice) and Content-Type.
 */
import { PgliveError } from '../errors.js';
import { show } from './cursor.js';
import type { HttpMethod, MediaType } from './types.js';

export type RawHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** a header's value; repeated headers are joined with ", " as HTTP allows for list headers */
export function headerValue(headers: RawHeaders, name: string): string | undefined {
  const v: unknown = headers[name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const parts = v.filter((x): x is string => typeof x === 'string');
    return parts.length === 0 ? undefined : parts.join(', ');
  }
  return undefined;
}

/** a single-valued header: the first line when repeated */
export function firstHeaderValue(headers: RawHeaders, name: string): string | undefined {
  const v: unknown = headers[name];
  if (Array.isArray(v)) return v.find((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? v : undefined;
}

const MEDIA_TYPES: Readonly<Record<string, MediaType>> = {
  '*/*': 'json',
  'application/*': 'json',
  'application/json': 'json',
  'application/vnd.pgrst.array+json': 'json',
  'application/vnd.pgrst.object+json': 'object',
  'application/vnd.pgrst.object': 'object',
  'text/csv': 'csv',
  'application/openapi+json': 'openapi',
};

/**
 * The first supported media range by descending q (ties keep header order).
 * Parameters such as `;nulls=stripped` are ignored; q=0 means "not this one".
 */
export function parseAccept(header: string | undefined): MediaType {
  if (header === undefined || header.trim() === '') return 'json';
  const ranges: { type: string; q: number; index: number }[] = [];
  header.split(',').forEach((part, index) => {
    const [type = '', ...params] = part.split(';');
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (m) q = Number(m[1]);
    }
    const t = type.trim().toLowerCase();
    if (t !== '' && !(q <= 0)) ranges.push({ type: t, q: Number.isNaN(q) ? 1 : q, index });
  });
  ranges.sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    const media = Object.hasOwn(MEDIA_TYPES, r.type) ? MEDIA_TYPES[r.type] : undefined;
    if (media !== undefined) return media;
  }
  throw new PgliveError('PGLIVE108', `None of these media types are available: ${show(header)}`, {
    hint: 'Use application/json, application/vnd.pgrst.object+json, text/csv or application/openapi+json',
  });
}

/** Accept-Profile for reads, Content-Profile for writes (PostgREST's rule) */
export function parseProfile(headers: RawHeaders, method: HttpMethod): string | null {
  const name = method === 'GET' || method === 'HEAD' ? 'accept-profile' : 'content-profile';
  const v = firstHeaderValue(headers, name)?.trim();
  return v === undefined || v === '' ? null : v;
}

export type BodyFormat = 'json' | 'csv' | 'form';

/** the body format from Content-Type; a missing Content-Type means JSON */
export function parseContentType(header: string | undefined): BodyFormat {
  const type = (header ?? '').split(';')[0]!.trim().toLowerCase();
  switch (type) {
    case '':
    case 'application/json':
      return 'json';
    case 'text/csv':
      return 'csv';
    case 'application/x-www-form-urlencoded':
      return 'form';
  }
  throw new PgliveError('PGRST107', `Content-Type not acceptable: ${show(header ?? '')}`, {
    hint: 'Send application/json, text/csv or application/x-www-form-urlencoded',
  });
}
