/**
 * Shared helpers for the REST HTTP tests: one real app per test file over a
 * fresh database (createTestApp), requests through inject(), and the
 * assertions every file repeats (error body shape, JSON bodies).
 */
import { expect } from 'vitest';
import type { Config } from '../../src/server/config/types.js';
import { createTestApp, jwtFor, type TestApp } from '../support/app.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface Res {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
  json<T = unknown>(): T;
}

export interface ReqOptions {
  readonly method?: Method;
  readonly headers?: Record<string, string>;
  /** an object/array is sent as JSON; a string is sent as-is */
  readonly body?: unknown;
  /** send no Authorization header at all */
  readonly anonymous?: boolean;
  /** a JWT to use instead of the default rest_user / alice one */
  readonly token?: string;
}

export interface Rest {
  readonly t: TestApp;
  /** rest_user acting for alice@x.test unless opts.token / opts.anonymous say otherwise */
  req(url: string, opts?: ReqOptions): Promise<Res>;
  close(): Promise<void>;
}

export const ALICE = 'alice@x.test';
export const BOB = 'bob@x.test';

export async function restApp(over: Partial<Config> = {}, fixtures: string[] = ['rest.sql']): Promise<Rest> {
  const t = await createTestApp(fixtures, over);
  const defaultToken = await jwtFor('rest_user', { email: ALICE });
  return {
    t,
    async req(url, opts = {}) {
      const headers: Record<string, string> = {};
      if (!opts.anonymous) headers.authorization = `Bearer ${opts.token ?? defaultToken}`;
      Object.assign(headers, opts.headers ?? {});
      let payload: string | undefined;
      if (opts.body !== undefined) {
        payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
      }
      const r = await t.app.inject({ method: opts.method ?? 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
      return {
        status: r.statusCode,
        headers: r.headers,
        text: r.body,
        json: <T>() => JSON.parse(r.body) as T,
      };
    },
    close: () => t.close(),
  };
}

/** A PostgREST-shaped error: exactly {code, message, details, hint}, the given status and code. */
export function expectError(res: Res, status: number, code: string): { code: string; message: string; details: string | null; hint: string | null } {
  const ctx = `${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, ctx).toBe(status);
  expect(String(res.headers['content-type']), ctx).toMatch(/^application\/json/);
  const body = res.json<Record<string, unknown>>();
  expect(Object.keys(body).sort(), ctx).toEqual(['code', 'details', 'hint', 'message']);
  expect(body.code, ctx).toBe(code);
  expect(typeof body.message, ctx).toBe('string');
  expect((body.message as string).length, ctx).toBeGreaterThan(0);
  for (const k of ['details', 'hint'] as const) expect(body[k] === null || typeof body[k] === 'string', ctx).toBe(true);
  return body as { code: string; message: string; details: string | null; hint: string | null };
}

/** 2xx with a JSON body equal to `expected`. */
export function expectJson(res: Res, status: number, expected: unknown): void {
  const ctx = `${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, ctx).toBe(status);
  expect(String(res.headers['content-type']), ctx).toMatch(/^application\/json; charset=utf-8$/);
  expect(res.json(), ctx).toEqual(expected);
}

/** the titles of a JSON array of {title} rows */
export function titles(res: Res): string[] {
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  return res.json<{ title: string }[]>().map((r) => r.title);
}
