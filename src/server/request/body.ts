/**
 * The request body of POST / PATCH / PUT: decoded per Content-Type and checked
 * for shape. GET, HEAD and DELETE bodies are ignored.
 */
import { PgliveError } from '../errors.js';
import { csvToObjects } from './csv.js';
import { parseContentType } from './headers.js';
import type { HttpMethod, Preferences, Resource } from './types.js';

export interface BodyContext {
  readonly method: HttpMethod;
  readonly resource: Resource;
  readonly contentType: string | undefined;
  /** ?columns=…: the keys to use, so rows may differ in the others */
  readonly columns: readonly string[] | null;
  readonly missing: Preferences['missing'];
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function bad(message: string, hint?: string): PgliveError {
  return new PgliveError('PGRST102', message, { hint: hint ?? null });
}

/**
 * null when there is no body (undefined, or null as some body parsers report
 * an empty body); otherwise the decoded object or array of objects.
 */
export function parseBody(body: unknown, ctx: BodyContext): unknown {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'DELETE') return null;
  if (body === undefined || body === null) return null;
  const value = decode(body, ctx.contentType);
  checkShape(value, ctx);
  return value;
}

function asText(body: unknown): string | null {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return null;
}

function decode(body: unknown, contentType: string | undefined): unknown {
  const format = parseContentType(contentType);
  const text = asText(body);
  switch (format) {
    case 'json':
      if (text === null) return body;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw bad('Empty or invalid JSON body');
      }
    case 'csv':
      if (text === null) throw bad('CSV body: expected text');
      return csvToObjects(text);
    case 'form':
      if (text === null) {
        if (isObject(body)) return body;
        throw bad('form body: expected application/x-www-form-urlencoded text');
      }
      return firstValues(new URLSearchParams(text));
  }
}

function firstValues(params: URLSearchParams): JsonObject {
  const seen = new Set<string>();
  const entries: [string, string][] = [];
  for (const [k, v] of params) {
    if (seen.has(k)) continue;
    seen.add(k);
    entries.push([k, v]);
  }
  return Object.fromEntries(entries);
}

function checkShape(value: unknown, ctx: BodyContext): void {
  if (ctx.resource.type === 'rpc') {
    if (!isObject(value)) throw bad('Function arguments must be a JSON object', 'Send {"arg": value, …}');
    return;
  }
  if (ctx.method === 'PATCH') {
    if (!isObject(value)) throw bad('PATCH body must be a JSON object of the columns to update');
    return;
  }
  if (isObject(value)) return;
  if (!Array.isArray(value)) throw bad('Body must be a JSON object or an array of objects');
  const rows: unknown[] = value;
  rows.forEach((row, i) => {
    if (!isObject(row)) throw bad(`Body array element ${i} is not a JSON object`);
  });
  if (ctx.columns === null && ctx.missing !== 'default') checkSameKeys(rows as JsonObject[]);
}

/** PostgREST requires every row of a bulk insert to have the same keys */
function checkSameKeys(rows: readonly JsonObject[]): void {
  const first = rows[0];
  if (first === undefined) return;
  const keys = Object.keys(first);
  const keySet = new Set(keys);
  rows.forEach((row, i) => {
    const rowKeys = Object.keys(row);
    if (rowKeys.length !== keys.length || rowKeys.some((k) => !keySet.has(k))) {
      throw bad(`All object keys must match: element ${i} has keys different from element 0`, 'Use ?columns=… or Prefer: missing=default for rows with different keys');
    }
  });
}
