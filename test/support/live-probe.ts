/** Helpers shared by the live-engine tests: waiting, retrying, and the REST truth to compare with. */
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The same query through REST: rows and exact total. */
export async function truth(base: string, token: string, v: { table: string; query: string }): Promise<{ rows: unknown[]; total: number }> {
  const res = await fetch(`${base}/api/${v.table}?${v.query}`, { headers: { authorization: `Bearer ${token}`, prefer: 'count=exact' } });
  if (res.status !== 200 && res.status !== 206) throw new Error(`GET ${v.table}: ${res.status} ${await res.text()}`);
  return { rows: (await res.json()) as unknown[], total: Number((res.headers.get('content-range') ?? '').split('/')[1]) };
}

/** Retry `check` until it passes (writes still settling) or the time is up (then its last failure is thrown). */
export async function eventually(check: () => Promise<void> | void, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(50);
    }
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
