/**
 * Real clients speak HTTP, so these tests need a listening server (not inject()).
 * The fetch wrapper records what each client actually sent: set CLIENTS_LOG=1
 * to print it, which is how a mismatch with pglive is diagnosed.
 */
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/server/config/types.js';
import { createTestApp, type TestApp } from '../support/app.js';

export interface ClientServer {
  readonly t: TestApp;
  /** http://127.0.0.1:port/api */
  readonly apiUrl: string;
  close(): Promise<void>;
}

export async function startClientServer(fixtures: string[], over: Partial<Config> = {}): Promise<ClientServer> {
  const t = await createTestApp(fixtures, over);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  return { t, apiUrl: `http://127.0.0.1:${port}/api`, close: () => t.close() };
}

/** the headers of a request as a plain object, without credentials */
export function headerObject(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init).forEach((v, k) => {
    if (k !== 'authorization') out[k] = v;
  });
  return out;
}

/** global fetch, logging method, URL, headers and the response status when CLIENTS_LOG is set */
export const loggingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (process.env.CLIENTS_LOG) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    console.log(`${init?.method ?? 'GET'} ${decodeURIComponent(url)} ${JSON.stringify(headerObject(init?.headers))} → ${res.status} ${res.headers.get('content-range') ?? ''}`);
  }
  return res;
};
