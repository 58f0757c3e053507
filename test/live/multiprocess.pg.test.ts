/**
 * Several pglive processes on one database behave as one (issue 3, §3 and §5
 * "Multi-process"): each LISTENs, so a write through any process — or straight
 * through SQL — reaches the live clients of every process; sessions live in
 * PostgreSQL, so one created on a process is valid on all.
 *
 * Two instances run in this process (startServer), one as a real child process
 * (src/server/main.ts through tsx), all on the same test database.
 */
import { eventually, sleep, truth } from '../support/live-probe.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { LiveClient, type LiveQuery, type WebSocketCtor } from '../../src/client/index.js';
import { loadConfig } from '../../src/server/config/load.js';
import type { PgliveApp } from '../../src/server/app.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { jwtFor, TEST_JWT_SECRET } from '../support/app.js';
import { createTestDb, type TestDb } from '../support/db.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const V1 = { table: 'lf_items', query: 'select=id,name,n&order=id' };
const V2 = { table: 'lf_items', query: 'select=id,n&n=gte.100&order=n.desc,id' };

/** a pglive instance: in this process or a child */
interface Instance {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

async function inProcess(name: string, dbUrl: string): Promise<Instance & { handle: ServerHandle }> {
  const { config } = loadConfig(['--db', dbUrl, '--port', '0', '--log-level', 'silent'], { PGLIVE_JWT_SECRET: TEST_JWT_SECRET });
  const handle = await startServer(config);
  return { name, url: handle.url, handle, close: () => handle.close() };
}

/** `node --import tsx src/server/main.ts --db … --port 0`; its URL is read from the banner on stdout */
async function childProcess(name: string, dbUrl: string): Promise<Instance> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--db', dbUrl, '--port', '0', '--log-level', 'silent'],
    { cwd: ROOT, env: { ...process.env, PGLIVE_JWT_SECRET: TEST_JWT_SECRET }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 40 s: ${out}${err}`)), 40_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${out}${err}`));
    });
  });
  return {
    name,
    url,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}



describe('several pglive processes on one database', () => {
  let db: TestDb;
  const instances: Instance[] = [];
  let token: string;
  const clients: LiveClient[] = [];
  const connect = (inst: Instance, auth: { token?: string; headers?: Record<string, string> }) => {
    const c = new LiveClient({ url: `${inst.url.replace('http', 'ws')}/live`, ...auth, WebSocket: WebSocket as unknown as WebSocketCtor });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    db = await createTestDb(['live-faults.sql']);
    // all at once, as replicas of a deployment start: migrations, the admin user and the
    // capture triggers must be set up once, whoever comes first
    const started = await Promise.allSettled([inProcess('A', db.url), inProcess('B', db.url), childProcess('C', db.url)]);
    for (const r of started) if (r.status === 'fulfilled') instances.push(r.value);
    const failed = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) throw new Error(`instances failed to start together: ${failed.map((f) => String(f.reason)).join('\n')}`);
    token = await jwtFor('lf_user');
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const i of instances) await i.close().catch(() => {});
    await db?.drop();
  });

  /** every query equals the same REST GET (through instance A) */
  async function expectConverged(queries: readonly LiveQuery[]): Promise<void> {
    await eventually(async () => {
      for (const q of queries) {
        const want = await truth(instances[0]!.url, token, q);
        expect({ view: q.query, status: q.status, rows: q.rows, total: q.total }).toEqual({ view: q.query, status: 'live', rows: want.rows, total: want.total });
      }
    });
  }

  it('each process LISTENs on its own connection', async () => {
    const rows = await db.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'pglive' and query ~* '^\\s*listen\\s'`;
    expect(rows[0]!.n).toBe(3);
  });

  it('a write through any process, or through SQL, reaches the clients of every process', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const [ca, cb, cc] = [connect(a, { token }), connect(b, { token }), connect(c, { token })];
    const all = [ca.subscribe(V1.table, V1.query), cb.subscribe(V1.table, V1.query), cb.subscribe(V2.table, V2.query), cc.subscribe(V1.table, V1.query), cc.subscribe(V2.table, V2.query)];
    const wide = [all[0]!, all[1]!, all[3]!];
    const high = [all[2]!, all[4]!];
    await expectConverged(all);
    expect(high[0]!.rows).toEqual([]);

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // through A's REST API
    const posted = await fetch(`${a.url}/api/lf_items`, { method: 'POST', headers, body: JSON.stringify({ id: 101, name: 'via A', n: 101 }) });
    expect(posted.status).toBe(201);
    await eventually(() => {
      for (const q of wide) expect(q.rows).toContainEqual({ id: 101, name: 'via A', n: 101 });
      for (const q of high) expect(q.rows).toEqual([{ id: 101, n: 101 }]);
    });
    await expectConverged(all);

    // through B's REST API
    const patched = await fetch(`${b.url}/api/lf_items?id=eq.1`, { method: 'PATCH', headers, body: JSON.stringify({ n: 150, name: 'via B' }) });
    expect(patched.status).toBe(204);
    await eventually(() => {
      for (const q of wide) expect(q.rows[0]).toEqual({ id: 1, name: 'via B', n: 150 });
      for (const q of high) expect(q.rows).toEqual([{ id: 1, n: 150 }, { id: 101, n: 101 }]);
    });
    await expectConverged(all);

    // through a plain SQL connection (as psql would)
    await db.sql`insert into lf_items (id, name, n) values (103, 'via SQL', 300)`;
    await db.sql`delete from lf_items where id = 101`;
    await db.sql`update lf_items set n = 0 where id = 1`;
    await eventually(() => {
      for (const q of wide) expect([q.rows[0], q.rows.at(-1), q.rows.some((r) => r.id === 101)]).toEqual([{ id: 1, name: 'via B', n: 0 }, { id: 103, name: 'via SQL', n: 300 }, false]);
      for (const q of high) expect(q.rows).toEqual([{ id: 103, n: 300 }]);
    });
    await expectConverged(all);
  }, 60_000);

  it('a resume carrying a version issued by another process gets a fresh snapshot', async () => {
    const [a, b] = instances as [Instance, Instance];
    const qa = connect(a, { token }).subscribe(V2.table, V2.query);
    await expectConverged([qa]);
    await db.sql`update lf_items set n = n + 1000 where id = 5`; // B must not believe a client holds A's old rows
    await eventually(() => expect(qa.rows[0]).toMatchObject({ id: 5 }));

    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/live`, { headers: { authorization: `Bearer ${token}` } });
    const frames: { type: string; id?: string; version?: number }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as (typeof frames)[number]));
    await eventually(() => expect(frames[0]?.type).toBe('ready'));
    ws.send(JSON.stringify({ type: 'resume', id: 'r1', table: V2.table, query: V2.query, count: 'exact', version: qa.version }));
    await eventually(() => expect(frames.find((m) => m.id === 'r1')).toMatchObject({ type: 'snapshot', id: 'r1' }));
    ws.close();
  });

  it('a session created on one process is valid on the REST API and websocket of the others', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    const email = 'lf-multi@example.test';
    const password = 'a long enough password for lf';
    const appA = (a as Instance & { handle: ServerHandle }).handle.app as PgliveApp; // ServerHandle.app is typed FastifyInstance
    await appA.pglive.auth.createUser({ email, password, dbRole: 'lf_user' });

    const login = await fetch(`${a.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((s) => s.split(';')[0]!).find((s) => s.startsWith('pglive_session='))!;
    expect(cookie).toBeDefined();

    const me = await fetch(`${b.url}/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email, role: 'lf_user', kind: 'session' });
    // a cookie write on B: same-origin, as B's own page would send it
    const posted = await fetch(`${b.url}/api/lf_items`, {
      method: 'POST',
      headers: { cookie, origin: b.url, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 201, name: 'session write on B', n: 2 }),
    });
    expect(posted.status).toBe(201);

    // the child process accepts the same cookie on its websocket, and the row written on B is there
    const live = connect(c, { headers: { cookie } });
    const q = live.subscribe(V1.table, V1.query);
    await eventually(() => {
      expect(live.state).toMatchObject({ status: 'open', role: 'lf_user', user: email });
      expect(q.rows).toContainEqual({ id: 201, name: 'session write on B', n: 2 });
    });

    // logging out on A ends the session on B too
    const out = await fetch(`${a.url}/auth/logout`, { method: 'POST', headers: { cookie, origin: a.url } });
    expect(out.status).toBe(204);
    expect((await fetch(`${b.url}/auth/me`, { headers: { cookie } })).status).toBe(401);
  }, 30_000);
});
