/**
 * Security of the live websocket: RLS isolation of rows AND counts through
 * patches, authentication (missing, `auth` message, expired, forged), Origin
 * checks, sessions ending (logout, disabled user), role changes, privileges,
 * and the per-socket limits. Raw `ws` sockets where every frame must be seen;
 * the LiveClient where the client's behaviour is part of the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { LiveClient, type WebSocketCtor } from '../../src/client/index.js';
import { applyPatch } from '../../src/protocol/patch.js';
import type { Row, ServerMessage } from '../../src/protocol/live.js';
import { updateUser } from '../../src/server/auth/users.js';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';

const A = 'a@live.test';
const B = 'b@live.test';
const PASSWORD = 'correct horse battery staple';
const LIMITS = { authTimeoutMs: 300, sessionCheckMs: 200, maxSubscriptions: 4, messagesPerSecond: 20, maxMessageBytes: 16 * 1024 };

let t: TestApp;
let url: string;
let ownOrigin: string;
beforeAll(async () => {
  t = await createTestApp(['live.sql'], {}, { live: { coalesceMs: 2, limits: LIMITS } });
  ({ liveUrl: url, origin: ownOrigin } = await listenTestApp(t));
});
afterAll(async () => t?.close());

interface Probe {
  readonly ws: WebSocket;
  /** every message received, in order */
  readonly log: ServerMessage[];
  readonly closed: Promise<{ code: number; reason: string }>;
  next(pred?: (m: ServerMessage) => boolean, ms?: number): Promise<ServerMessage>;
  send(msg: unknown): void;
}

function probe(headers: Record<string, string> = {}): Probe {
  const ws = new WebSocket(url, { headers });
  const log: ServerMessage[] = [];
  const taken = new Set<number>();
  const waiters = new Set<() => void>();
  ws.on('message', (d) => {
    log.push(JSON.parse(String(d)) as ServerMessage);
    for (const w of waiters) w();
  });
  ws.on('error', () => {}); // a refused socket also fires 'close'
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return {
    ws, log, closed,
    // the first message not returned before that satisfies pred
    next: (pred = () => true, ms = 3000) =>
      new Promise((resolve, reject) => {
        const look = (): boolean => {
          const i = log.findIndex((m, k) => !taken.has(k) && pred(m));
          if (i < 0) return false;
          taken.add(i);
          waiters.delete(look);
          clearTimeout(timer);
          resolve(log[i]!);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(look);
          reject(new Error(`timeout; received ${JSON.stringify(log).slice(0, 600)}`));
        }, ms);
        if (!look()) waiters.add(look);
      }),
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await sleep(20);
  }
}
const is = <T extends ServerMessage['type']>(type: T, id?: string) => (m: ServerMessage): m is Extract<ServerMessage, { type: T }> =>
  m.type === type && (id === undefined || (m as { id?: string }).id === id);

async function ready(headers: Record<string, string>): Promise<Probe> {
  const p = probe(headers);
  await p.next(is('ready'));
  return p;
}

/** no message for 150 ms and the engine has nothing dirty or running */
async function settle(): Promise<void> {
  const engine = t.app.pglive.live!.engine;
  await sleep(150);
  for (let i = 0; i < 100 && [...engine.views.values()].some((v) => v.dirty || v.running); i++) await sleep(30);
  await sleep(100);
}

async function restGet(token: string, table: string, query: string): Promise<{ status: number; rows: Row[]; total: number; body: Record<string, unknown> }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/${table}?${query}`, headers: { ...bearer(token), prefer: 'count=exact' } });
  const body = JSON.parse(res.body) as unknown;
  const total = Number(String(res.headers['content-range'] ?? '/-1').split('/')[1]);
  return { status: res.statusCode, rows: Array.isArray(body) ? (body as Row[]) : [], total, body: body as Record<string, unknown> };
}

async function login(email: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { email, password: PASSWORD } });
  const c = res.cookies.find((x) => x.name === 'pglive_session');
  if (res.statusCode !== 200 || !c) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return `pglive_session=${c.value}`;
}

describe('RLS through live patches', () => {
  const QUERIES: [string, string, string][] = [
    ['all', 'items', 'select=id,account,category,price&order=id'],
    ['window', 'items', 'select=id,account,qty,price&category=eq.red&order=price.desc,id&limit=5&offset=1'],
    ['view', 'cheap_items', 'select=id,account,price&order=price,id&limit=8'],
    ['embed', 'items', 'select=id,account,owner:owners(name)&order=id.desc&limit=4'],
  ];

  it('two users on the same queries only ever receive their own rows and their own counts', async () => {
    const users = await Promise.all([A, B].map(async (email) => {
      const token = await jwtFor('live_user', { email });
      const p = await ready(bearer(token));
      for (const [id, table, query] of QUERIES) p.send({ type: 'subscribe', id, table, query });
      for (const [id] of QUERIES) await p.next(is('snapshot', id));
      /** per query: every total this user's own view took (REST under the same user after each step) */
      const totals = new Map<string, Set<number>>(QUERIES.map(([id]) => [id, new Set<number>()]));
      return { email, token, p, totals };
    }));
    const record = async () => {
      for (const u of users)
        for (const [id, table, query] of QUERIES) u.totals.get(id)!.add((await restGet(u.token, table, query)).total);
    };
    await record();
    const [ua, ub] = users as [(typeof users)[0], (typeof users)[0]];
    const api = (u: typeof ua, method: string, path: string, payload?: unknown) =>
      t.app.inject({ method: method as 'POST', url: path, headers: { ...bearer(u.token), 'content-type': 'application/json' }, ...(payload ? { payload: JSON.stringify(payload) } : {}) });

    // each step is one statement; `onlyB` steps change nothing user a can see
    const steps: { onlyB: boolean; run: () => Promise<unknown> }[] = [
      { onlyB: true, run: () => t.db.sql`insert into items (account, category, price, qty, owner_id) values (${B}, 'red', 1, 1, 1), (${B}, 'red', 99, 2, 2)` },
      { onlyB: true, run: () => api(ub, 'POST', '/api/items', { category: 'red', price: 5, qty: 3, owner_id: 3 }) },
      { onlyB: true, run: () => t.db.sql`update items set price = 0.5 where account = ${B}` },
      { onlyB: true, run: () => api(ub, 'PATCH', '/api/items?category=eq.red', { price: 98 }) },
      { onlyB: false, run: () => t.db.sql`insert into items (account, category, price, qty, owner_id) values (${A}, 'red', 97, 1, 1), (${A}, 'blue', 2, 1, 2)` },
      { onlyB: false, run: () => api(ua, 'POST', '/api/items', { category: 'red', price: 3, qty: 1, owner_id: 1 }) },
      // a row passes from a to b and back: a sees it leave and return, b the opposite
      { onlyB: false, run: () => t.db.sql`update items set account = ${B} where id = (select max(id) from items where account = ${A})` },
      { onlyB: false, run: () => t.db.sql`update items set account = ${A} where id = (select max(id) from items where account = ${B})` },
      { onlyB: false, run: () => t.db.sql`update owners set name = 'renamed'` },
      { onlyB: true, run: () => api(ub, 'DELETE', '/api/items?category=eq.red') },
      { onlyB: false, run: () => t.db.sql`update items set price = price + 1 where true` },
      { onlyB: true, run: () => t.db.sql`delete from items where account = ${B} and id % 2 = 0` },
    ];
    for (const [i, step] of steps.entries()) {
      const before = ua.p.log.length;
      const res = await step.run();
      if (res && typeof res === 'object' && 'statusCode' in res) expect((res as { statusCode: number }).statusCode, `step ${i}`).toBeLessThan(300);
      await settle();
      await record();
      if (step.onlyB) expect(ua.p.log.slice(before), `step ${i}: a must not hear of b's write`).toEqual([]);
    }

    for (const u of users) {
      const held = new Map<string, { keys: string[]; rows: Map<string, Row> }>();
      for (const m of u.p.log) {
        if (m.type === 'snapshot') {
          held.set(m.id, { keys: m.keys, rows: new Map(m.keys.map((k, i) => [k, m.rows[i]!])) });
          expect(m.rows.every((r) => r.account === u.email), `${u.email} snapshot ${m.id}`).toBe(true);
          expect(u.totals.get(m.id)!.has(m.total!), `${u.email} snapshot total`).toBe(true);
        } else if (m.type === 'patch') {
          for (const op of m.ops) if (op.op === 'insert') expect(op.row.account, `${u.email} insert into ${m.id}`).toBe(u.email);
          // every key it names must be one this user holds (applyPatch throws otherwise)
          const h = held.get(m.id)!;
          const next = applyPatch(h.keys, h.rows, m.ops);
          held.set(m.id, next);
          expect([...next.rows.values()].every((r) => r.account === u.email), `${u.email} rows after a patch of ${m.id}`).toBe(true);
          expect([...u.totals.get(m.id)!], `${u.email} total ${m.total} of ${m.id}`).toContain(m.total);
        } else {
          expect(m.type, `${u.email} unexpected message ${JSON.stringify(m)}`).toBe('ready');
        }
      }
      // and what each holds at the end is exactly its own REST result
      for (const [id, table, query] of QUERIES) {
        const h = held.get(id)!;
        expect(h.keys.map((k) => h.rows.get(k)), `${u.email} ${id}`).toEqual((await restGet(u.token, table, query)).rows);
      }
      expect(u.p.log.filter((m) => m.type === 'patch').length, `${u.email} got patches`).toBeGreaterThan(3);
      u.p.ws.close();
    }
  });
});

describe('authentication', () => {
  it('a socket without credentials gets nothing and is closed with 4001 after the auth timeout', async () => {
    const start = Date.now();
    const p = probe();
    await new Promise((r) => p.ws.once('open', r));
    p.send({ type: 'subscribe', id: 'x', table: 'items', query: 'select=id' });
    const { code } = await p.closed;
    expect(code).toBe(4001);
    expect(Date.now() - start).toBeGreaterThanOrEqual(LIMITS.authTimeoutMs - 50);
    expect(p.log.map((m) => m.type)).toEqual(['error']);
    expect(p.log[0]).toMatchObject({ type: 'error', code: 'PGRST302' });
  });

  it('can authenticate with an `auth` first message instead, and then stays open', async () => {
    const p = probe();
    await new Promise((r) => p.ws.once('open', r));
    p.send({ type: 'auth', token: await jwtFor('live_user', { email: A }) });
    expect(await p.next(is('ready'))).toMatchObject({ role: 'live_user', user: A });
    p.send({ type: 'subscribe', id: 's', table: 'items', query: 'select=id,account&order=id&limit=3' });
    const snap = await p.next(is('snapshot', 's'));
    expect(snap.type === 'snapshot' && snap.rows.every((r) => r.account === A)).toBe(true);
    await sleep(LIMITS.authTimeoutMs + 200);
    expect(p.ws.readyState).toBe(WebSocket.OPEN);
    p.ws.close();
  });

  it('refuses expired, forged and unassumable tokens with 4001, at the upgrade or in `auth`', async () => {
    const expired = await jwtFor('live_user', { email: A, exp: Math.floor(Date.now() / 1000) - 60 });
    const forged = await new SignJWT({ role: 'live_user', email: A })
      .setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
    const noRole = await jwtFor('live_no_such_role', { email: A });
    for (const token of [expired, forged, noRole, 'garbage']) {
      const p = probe(bearer(token));
      expect((await p.closed).code, token).toBe(4001);
      expect(p.log).toEqual([]);
      const q = probe();
      await new Promise((r) => q.ws.once('open', r));
      q.send({ type: 'auth', token });
      expect((await q.closed).code, `auth ${token}`).toBe(4001);
      expect(q.log).toEqual([]);
    }
  });

  it('closes a socket from a foreign Origin with 4003 without serving it, even with a valid session cookie', async () => {
    await t.app.pglive.auth.createUser({ email: 'origin@live.test', password: PASSWORD, dbRole: 'live_user' });
    const cookie = await login('origin@live.test');
    const attempts: Record<string, string>[] = [{ origin: 'http://evil.example', cookie }, { origin: 'http://evil.example', ...bearer(await jwtFor('live_user', { email: A })) }];
    for (const headers of attempts) {
      const p = probe(headers);
      expect((await p.closed).code).toBe(4003);
      expect(p.log).toEqual([]);
    }
    const ok = await ready({ origin: ownOrigin, cookie });
    expect(ok.log[0]).toMatchObject({ type: 'ready', user: 'origin@live.test' });
    ok.ws.close();
  });
});

describe('sessions end', () => {
  it('logging out closes the socket with 4002 within the check period, and the cookie opens no new one', async () => {
    await t.app.pglive.auth.createUser({ email: 'bye@live.test', password: PASSWORD, dbRole: 'live_user' });
    const cookie = await login('bye@live.test');
    const p = await ready({ origin: ownOrigin, cookie });
    p.send({ type: 'subscribe', id: 's', table: 'items', query: 'select=id' });
    await p.next(is('snapshot', 's'));
    const res = await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie, origin: 'http://localhost' } });
    expect(res.statusCode).toBe(204);
    const at = Date.now();
    expect((await p.closed).code).toBe(4002);
    expect(Date.now() - at).toBeLessThan(LIMITS.sessionCheckMs * 3 + 500);
    const again = probe({ origin: ownOrigin, cookie });
    expect((await again.closed).code).toBe(4001);
    expect(again.log).toEqual([]);
  });

  it('disabling the user closes their socket with 4002', async () => {
    const user = await t.app.pglive.auth.createUser({ email: 'off@live.test', password: PASSWORD, dbRole: 'live_user' });
    const p = await ready({ origin: ownOrigin, cookie: await login('off@live.test') });
    await updateUser(t.sql, user.id, { disabled: true });
    expect((await p.closed).code).toBe(4002);
  });

  it("a role change takes effect on the user's live views (new ready, rows under the new role)", async () => {
    const user = await t.app.pglive.auth.createUser({ email: A, password: PASSWORD, dbRole: 'live_user' });
    const client = new LiveClient({ url, WebSocket: WebSocket as unknown as WebSocketCtor, headers: { origin: ownOrigin, cookie: await login(A) } });
    const errors: string[] = [];
    client.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
    try {
      await waitFor(() => client.state.status === 'open', 'ready');
      const q = client.subscribe('items', 'select=id,account&order=id');
      q.on('error', (e) => errors.push(`${q.id} ${e.code}: ${e.message}`));
      await waitFor(() => q.version !== null, 'snapshot');
      const [own] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from items where account = ${A}`;
      const [all] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from items`;
      expect(q.total).toBe(own!.n);
      expect(own!.n).toBeLessThan(all!.n);
      await updateUser(t.sql, user.id, { dbRole: 'live_manager' });
      await waitFor(() => q.total === all!.n, `all ${all!.n} rows (holding ${q.total})`, LIMITS.sessionCheckMs * 3 + 1000);
      expect(client.state).toMatchObject({ status: 'open', role: 'live_manager' });
      expect(new Set(q.rows.map((r) => r.account)).size).toBe(3);
      // and back: the other users' rows must go
      await updateUser(t.sql, user.id, { dbRole: 'live_user' });
      await waitFor(() => q.total === own!.n, `own ${own!.n} rows again (holding ${q.total})`, LIMITS.sessionCheckMs * 3 + 1000);
      expect(q.rows.every((r) => r.account === A)).toBe(true);
      expect(client.state).toMatchObject({ status: 'open', role: 'live_user' });
      // the subscription still follows writes, and nothing went wrong on the way
      await t.db.sql`insert into items (account, category) values (${A}, 'new')`;
      await waitFor(() => q.total === own!.n + 1, 'the new row');
      expect({ status: q.status, errors }).toEqual({ status: 'live', errors: [] });
    } finally {
      client.close();
    }
  });
});

describe('privileges and limits', () => {
  it('a view the role may not read answers with the same error as REST, and no data', async () => {
    const cases: [string, string, string][] = [
      ['live_none', 'items', 'select=id'],
      ['live_limited', 'items', 'select=id,price'],
      ['live_limited', 'cheap_items', 'select=id'],
    ];
    const got: unknown[] = [];
    const want: unknown[] = [];
    for (const [role, table, query] of cases) {
      const token = await jwtFor(role, { email: A });
      const rest = await restGet(token, table, query);
      expect(rest.status, `${role} ${table}?${query}`).toBeGreaterThanOrEqual(400);
      const p = await ready(bearer(token));
      p.send({ type: 'subscribe', id: 'q', table, query });
      const err = await p.next(is('error', 'q'));
      await sleep(100);
      const label = `${role} ${table}?${query}`;
      got.push({ label, types: p.log.map((m) => m.type), code: (err as { code: string }).code, message: (err as { message: string }).message });
      want.push({ label, types: ['ready', 'error'], code: rest.body.code, message: rest.body.message });
      p.ws.close();
    }
    expect(got).toEqual(want);
  });

  it('more subscriptions than allowed on one socket: error PGLIVE301 for the extra one', async () => {
    const p = await ready(bearer(await jwtFor('live_user', { email: A })));
    for (let i = 0; i <= LIMITS.maxSubscriptions; i++) p.send({ type: 'subscribe', id: `s${i}`, table: 'items', query: `select=id&limit=${i + 1}` });
    expect(await p.next(is('error', `s${LIMITS.maxSubscriptions}`))).toMatchObject({ code: 'PGLIVE301' });
    await sleep(200);
    expect(p.log.filter((m) => m.type === 'snapshot').map((m) => (m as { id: string }).id).sort()).toEqual(['s0', 's1', 's2', 's3']);
    // unsubscribing frees a slot
    p.send({ type: 'unsubscribe', id: 's0' });
    p.send({ type: 'subscribe', id: 's9', table: 'items', query: 'select=id' });
    await p.next(is('snapshot', 's9'));
    p.ws.close();
  });

  it('an invalid message is answered with PGLIVE300 and the socket keeps working', async () => {
    const p = await ready(bearer(await jwtFor('live_user', { email: A })));
    p.send('not json');
    expect(await p.next(is('error'))).toMatchObject({ code: 'PGLIVE300' });
    p.send({ type: 'subscribe', id: 'x' });
    expect(await p.next(is('error'))).toMatchObject({ code: 'PGLIVE300', id: 'x' });
    p.send({ type: 'explode' });
    expect(await p.next(is('error'))).toMatchObject({ code: 'PGLIVE300' });
    p.send({ type: 'ping', t: 7 });
    expect(await p.next(is('pong'))).toEqual({ type: 'pong', t: 7 });
    p.ws.close();
  });

  it('a message flood is answered with PGLIVE302, then the socket is closed with 4008', async () => {
    const p = await ready(bearer(await jwtFor('live_user', { email: A })));
    for (let i = 0; i < 100; i++) p.send({ type: 'ping', t: i });
    expect((await p.closed).code).toBe(4008);
    const pongs = p.log.filter((m) => m.type === 'pong').length;
    const limited = p.log.filter((m) => m.type === 'error' && m.code === 'PGLIVE302').length;
    expect(pongs).toBeGreaterThan(0);
    expect(pongs).toBeLessThanOrEqual(LIMITS.messagesPerSecond * 2 + 5);
    expect(limited).toBeGreaterThan(0);
  });

  it('an oversized message closes the socket with 1009', async () => {
    const p = await ready(bearer(await jwtFor('live_user', { email: A })));
    p.send({ type: 'subscribe', id: 'big', table: 'items', query: 'x'.repeat(LIMITS.maxMessageBytes) });
    expect((await p.closed).code).toBe(1009);
    expect(p.log.map((m) => m.type)).toEqual(['ready']);
  });
});
