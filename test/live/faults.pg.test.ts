/**
 * Fault tests of the live engine (issue 3, §5 "Faults"): a terminated LISTEN
 * connection, dropped and resumed sockets, a failed evaluation, a slow
 * consumer, a PostgreSQL restart (on an embedded cluster of its own: the
 * shared server cannot be restarted). After each fault every client's rows
 * and total must equal the same REST GET (run after the writes stop): no
 * stale, missing or out-of-order row.
 */
import { eventually, freePort, sleep, truth } from '../support/live-probe.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LiveClient, type LiveQuery, type WebSocketCtor } from '../../src/client/index.js';
import { CLOSE, type ClientMessage, type ServerMessage } from '../../src/protocol/live.js';
import { loadConfig } from '../../src/server/config/load.js';
import { postgres } from '../../src/server/db/pool.js';
import type { PgliveApp } from '../../src/server/app.js';
import { startServer, type ServerHandle } from '../../src/server/server.js';
import { createTestApp, jwtFor, TEST_JWT_SECRET, type TestApp } from '../support/app.js';
import { FIXTURES, withDatabase } from '../support/db.js';
import { startEmbedded, type EmbeddedHandle } from '../../src/server/db/embedded.js';

const HIGH_WATER = 16 * 1024;
const STATEMENT_TIMEOUT = 1000;

// ------------------------------------------------------------------ probes

/** A LiveClient whose sockets, sent and received frames (per socket) the test can see. */
interface Probe {
  readonly client: LiveClient;
  readonly sockets: WebSocket[];
  readonly sent: ClientMessage[];
  /** received[i]: the frames of sockets[i] */
  readonly received: ServerMessage[][];
}

function probe(url: string, token: string): Probe {
  const p = { sockets: [] as WebSocket[], sent: [] as ClientMessage[], received: [] as ServerMessage[][] };
  const Recording = class extends WebSocket {
    constructor(address: string, options?: WebSocket.ClientOptions) {
      super(address, options);
      const frames: ServerMessage[] = [];
      p.sockets.push(this);
      p.received.push(frames);
      this.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerMessage));
    }
    override send(data: unknown, ...rest: unknown[]): void {
      p.sent.push(JSON.parse(String(data)) as ClientMessage);
      (WebSocket.prototype.send as (...a: unknown[]) => void).call(this, data, ...rest);
    }
  };
  const client = new LiveClient({
    url,
    token,
    WebSocket: Recording as unknown as WebSocketCtor,
    reconnect: { minMs: 100, maxMs: 1000 },
    pingIntervalMs: 60_000, // a paused socket must not be declared dead during the test
  });
  return { client, ...p };
}

interface ViewDef {
  readonly table: string;
  readonly query: string;
}

const VIEWS: readonly ViewDef[] = [
  { table: 'lf_items', query: 'select=id,name,n&order=n.desc,id&limit=10' },
  { table: 'lf_items', query: 'select=id,n&n=gt.15&order=id' },
  { table: 'lf_items', query: 'order=id' },
];



/** Every query's rows and total equal the same REST GET, and (unless told not to check) it is 'live'. */
async function expectConverged(base: string, token: string, queries: readonly LiveQuery[], timeoutMs = 15_000, opts = { status: true }): Promise<void> {
  await eventually(async () => {
    for (const q of queries) {
      const want = await truth(base, token, { table: q.table, query: q.query });
      expect({ status: opts.status ? q.status : 'live', view: `${q.table}?${q.query}`, rows: q.rows, total: q.total }).toEqual({
        status: 'live', view: `${q.table}?${q.query}`, rows: want.rows, total: want.total,
      });
    }
  }, timeoutMs);
}

/** Every change a query applies must move its version forward; a resync means a gap was seen. */
function watchOrder(q: LiveQuery, problems: string[]): void {
  let last = -1;
  q.on('change', (ev) => {
    const v = q.version ?? -1;
    if (v < last || (v === last && !ev.snapshot && ev.ops.length > 0)) problems.push(`${q.id}: version ${last} → ${v}`);
    last = v;
  });
  q.on('resync', (reason) => problems.push(`${q.id}: resync (${reason})`));
}

let nextId = 1000;
/** one insert, one update, one delete, each its own transaction */
async function writeSome(sql: postgres.Sql, i: number): Promise<void> {
  const id = nextId++;
  await sql`insert into lf_items (id, name, n) values (${id}, ${'new ' + id}, ${(i * 7) % 40})`;
  await sql`update lf_items set n = n + 3, name = name || '.' where id = ${1 + (i % 30)}`;
  await sql`delete from lf_items where id = (select min(id) from lf_items where id >= 1000 and id < ${id})`;
}

function baseOf(t: TestApp): string {
  const addr = t.app.server.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

// ------------------------------------------------------------------ tests on the shared server

describe('live faults', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  const probes: Probe[] = [];
  const open = (tok = token) => {
    const p = probe(`${base.replace('http', 'ws')}/live`, tok);
    probes.push(p);
    return p;
  };

  beforeAll(async () => {
    // a short statement timeout lets a test make one evaluation fail (lock wait) on purpose
    t = await createTestApp(['live-faults.sql'], { statementTimeoutMs: STATEMENT_TIMEOUT }, { live: { coalesceMs: 2, limits: { highWaterBytes: HIGH_WATER } } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = baseOf(t);
    token = await jwtFor('lf_user');
  });
  // each test's views alone: other tests' views would compete for evaluation slots
  afterEach(() => {
    for (const p of probes.splice(0)) p.client.close();
  });
  afterAll(async () => t?.close());

  /** the backend holding pglive's LISTEN: application 'pglive', last statement a LISTEN */
  async function listenPid(): Promise<number> {
    const rows = await t.db.sql<{ pid: number; query: string }[]>`
      select pid, query from pg_stat_activity
      where datname = current_database() and application_name = 'pglive' and query ~* '^\\s*listen\\s'`;
    if (rows.length !== 1) throw new Error(`expected one LISTEN backend, found ${JSON.stringify(rows)}`);
    return rows[0]!.pid;
  }

  it('resyncs every view after its LISTEN connection is terminated, even for writes whose notifications were lost', async () => {
    const live = t.app.pglive.live!;
    const a = open();
    const b = open();
    const blobs = b.client.subscribe('lf_blobs', 'select=id,n&order=n.desc,id&limit=5');
    const queries = [...VIEWS.map((v) => a.client.subscribe(v.table, v.query)), b.client.subscribe(VIEWS[0]!.table, VIEWS[0]!.query), blobs];
    const problems: string[] = [];
    for (const q of queries) watchOrder(q, problems);
    await expectConverged(base, token, queries);

    // writes with the capture triggers off (replica mode), to a table nothing else writes
    // afterwards: only the resync after the reconnect can reveal them
    await t.db.sql.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`update lf_blobs set n = 1000 + id where id in (3, 7)`;
    });
    await sleep(300);
    expect(blobs.rows.map((r) => r.n)).toEqual([0, 0, 0, 0, 0]); // the writes really were silent

    const connects = live.listener()!.connects();
    const pid = await listenPid();
    await t.db.sql`select pg_terminate_backend(${pid})`;
    for (let i = 0; i < 10; i++) await writeSome(t.db.sql, i); // while the listener reconnects
    await eventually(() => expect(live.listener()!.connects()).toBeGreaterThan(connects));
    for (let i = 10; i < 20; i++) await writeSome(t.db.sql, i);

    await expectConverged(base, token, queries);
    expect(blobs.rows.slice(0, 2)).toEqual([{ id: 7, n: 1007 }, { id: 3, n: 1003 }]);
    expect(await listenPid()).not.toBe(pid);
    expect(problems).toEqual([]);
  });

  it('resumes dropped sockets from their last version while writes continue', async () => {
    const a = open();
    const b = open();
    const qa = VIEWS.map((v) => a.client.subscribe(v.table, v.query));
    const qb = [b.client.subscribe(VIEWS[1]!.table, VIEWS[1]!.query)];
    const problems: string[] = [];
    for (const q of [...qa, ...qb]) watchOrder(q, problems);
    await expectConverged(base, token, [...qa, ...qb]);

    // the versions each client holds when its socket goes
    const atLoss: { probe: Probe; socket: number; versions: Map<string, number | null> }[] = [];
    for (const p of [a, b]) {
      p.client.on('state', (s) => {
        if (s.status === 'reconnecting')
          atLoss.push({ probe: p, socket: p.sockets.length, versions: new Map(p.client.queries.map((q) => [q.id, q.version])) });
      });
    }

    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        await writeSome(t.db.sql, i);
        await sleep(5);
      }
    })();
    await sleep(300);
    t.app.pglive.live!.sockets.closeAll(CLOSE.SHUTTING_DOWN, 'test: dropped by the server');
    await eventually(() => expect([a.client.state.status, b.client.state.status, a.sockets.length, b.sockets.length]).toEqual(['open', 'open', 2, 2]));
    await sleep(300);
    b.sockets.at(-1)!.terminate(); // abrupt, from the client side (no close frame)
    await eventually(() => expect([b.client.state.status, b.sockets.length]).toEqual(['open', 3]));
    await sleep(300);
    writing = false;
    await writer;

    await expectConverged(base, token, [...qa, ...qb]);
    expect(atLoss).toHaveLength(3);
    for (const loss of atLoss) {
      // the new socket resumed every subscription from the version held at the loss…
      const frames = loss.probe.received[loss.socket]!;
      for (const [id, version] of loss.versions) {
        expect(loss.probe.sent).toContainEqual(expect.objectContaining({ type: 'resume', id, version }));
        // …and was answered with the missed patches (from that version) or a fresh snapshot
        const first = frames.find((m) => 'id' in m && m.id === id);
        expect(first?.type === 'snapshot' || (first?.type === 'patch' && first.fromVersion === version), JSON.stringify(first)).toBe(true);
      }
    }
    expect(problems).toEqual([]);
  });

  it('re-evaluates a view whose evaluation failed after a change (no stale row once the failure passes)', async () => {
    const a = open();
    const q = a.client.subscribe('lf_items', 'select=id,name&id=lt.10&order=id');
    const errors: string[] = [];
    q.on('error', (e) => errors.push(`${e.code} ${e.message}`));
    await expectConverged(base, token, [q]);

    // Y changes a row; Z queues for an exclusive lock behind Y, so it gets the table the moment Y
    // commits and holds it past the statement timeout: the evaluation that Y's notification
    // triggers times out. Nothing writes afterwards.
    let commitY!: () => void;
    const yMayCommit = new Promise<void>((r) => (commitY = r));
    const y = t.db.sql.begin(async (tx) => {
      await tx`update lf_items set name = 'changed while locked' where id = 2`;
      await yMayCommit;
    });
    await sleep(100);
    const z = t.db.sql.begin(async (tx) => {
      await tx`lock table lf_items in access exclusive mode`;
      await tx`select pg_sleep(${(2 * STATEMENT_TIMEOUT) / 1000})`;
    });
    await sleep(100);
    commitY();
    await y;
    await z;
    expect(errors.length).toBeGreaterThan(0); // the failure happened (else the test proves nothing)
    // a statement timeout is PGLIVE502, not PGLIVE102 ("invalid value")
    expect.soft(errors.every((e) => e.startsWith('PGLIVE502')), errors.join('; ')).toBe(true);

    await expectConverged(base, token, [q], 8000, { status: false });
    expect.soft(q.status).toBe('live');
  });

  it('answers a resume with the missed patches within the retention log, and with a snapshot beyond it', async () => {
    const view: ViewDef = { table: 'lf_items', query: 'select=id,n&id=lt.1000&order=n,id&limit=5' };
    const alone = open();
    const watched = open();
    const keeper = open(); // keeps a second copy of `watched`'s view evaluated while `watched` is away
    const qa = alone.client.subscribe('lf_items', `${view.query}&name=neq.alone`);
    const qw = watched.client.subscribe(view.table, view.query);
    const qk = keeper.client.subscribe(view.table, view.query);
    const problems: string[] = [];
    for (const q of [qa, qw, qk]) watchOrder(q, problems);
    await expectConverged(base, token, [qa, qw, qk]);

    const heldAlone = qa.version!;
    alone.client.close();
    watched.client.close();
    // 70 changes, each evaluated on its own (the keeper sees each one): more than the log keeps
    for (let i = 0; i < 70; i++) {
      const before = qk.version;
      await t.db.sql`update lf_items set n = n - 1 where id = ${1 + (i % 5)}`;
      await eventually(() => expect(qk.version).not.toBe(before), 5000);
    }
    alone.client.connect();
    watched.client.connect();
    await expectConverged(base, token, [qa, qw, qk]);

    const firstFor = (p: Probe, id: string) => p.received.at(-1)!.find((m) => 'id' in m && m.id === id);
    // nobody watched `alone`'s view: it was evaluated once, on resume, and answered with that one patch
    expect(firstFor(alone, qa.id)).toMatchObject({ type: 'patch', fromVersion: heldAlone });
    // `watched`'s view changed 70 times meanwhile: past the retention log, so a fresh snapshot
    expect(firstFor(watched, qw.id)).toMatchObject({ type: 'snapshot' });
    expect(problems).toEqual([]);
  });

  it('keeps one merged patch per view for a slow consumer, with bounded server buffers', async () => {
    const engine = t.app.pglive.live!.engine;
    const view: ViewDef = { table: 'lf_blobs', query: 'select=id,n,payload&order=id' };
    const slow = open();
    const fast = open();
    const sq = slow.client.subscribe(view.table, view.query);
    const fq = fast.client.subscribe(view.table, view.query);
    const problems: string[] = [];
    watchOrder(sq, problems);
    watchOrder(fq, problems);
    await expectConverged(base, token, [sq, fq]);

    const server = (t.app as unknown as { websocketServer: { clients: Set<WebSocket> } }).websocketServer;
    const buffered = () => Math.max(...[...server.clients].map((c) => c.bufferedAmount));
    const raw = (slow.sockets.at(-1)! as unknown as { _socket: Socket })._socket;
    raw.pause(); // the slow client stops reading: kernel buffers fill, then the server's

    // wide updates (~400 KB of patch each) until the server holds a backlog for the slow socket
    for (let i = 0; i < 120 && buffered() <= HIGH_WATER; i++) {
      await t.db.sql`update lf_blobs set payload = repeat(md5(${String(i)} || id::text), 256)`;
      await sleep(30);
    }
    expect(buffered()).toBeGreaterThan(HIGH_WATER);
    await t.db.sql`update lf_blobs set n = n + 1 where id = 1`;
    await eventually(() => expect(engine.stats().pending).toBe(1));

    const shared = [...engine.views.values()].find((v) => v.spec.table === view.table && v.spec.query === view.query)!;
    const fromVersion = shared.version;
    const fromEvaluations = shared.evaluations;
    const fromBuffered = buffered();
    expect(fromBuffered).toBeLessThan(4 * 1024 * 1024); // high-water mark + at most one in-flight patch or so

    // thousands of changes while the slow client reads nothing
    for (let i = 0; i < 2000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => t.db.sql`update lf_blobs set n = n + 1 where id = ${1 + ((i + j) % 50)}`));
    }
    await expectConverged(base, token, [fq]);
    expect(shared.evaluations - fromEvaluations).toBeGreaterThan(5); // many versions came and went…
    expect(buffered()).toBeLessThanOrEqual(fromBuffered); // …and nothing more was queued for the slow socket
    expect(engine.stats().pending).toBe(1);

    raw.resume();
    await expectConverged(base, token, [sq, fq]);
    const frames = slow.received.at(-1)!.filter((m) => m.type === 'patch' && m.id === sq.id && m.toVersion > fromVersion);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(frames.length).toBeLessThanOrEqual(2); // one merged patch (two if a drain raced the last evaluation)
    expect(engine.stats().pending).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});

// ------------------------------------------------------------------ a PostgreSQL restart


describe('live across a PostgreSQL restart (own embedded cluster)', () => {
  let pg: { start(): Promise<void>; stop(): Promise<void> } | null = null;
  let dir = '';
  let cannotStart: string | null = null;
  let server: ServerHandle | null = null;
  let admin: postgres.Sql | null = null;
  let client: LiveClient | null = null;
  let tok = '';

  beforeAll(async () => {
    // the product's own embedded cluster (persistent, fixed port): stop() and start() restart it
    dir = mkdtempSync(join(tmpdir(), 'pglive-faults-pg-'));
    const port = await freePort();
    let handle: EmbeddedHandle;
    try {
      handle = await startEmbedded({ dataDir: dir, port });
    } catch (e) {
      cannotStart = `embedded PostgreSQL did not start: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    pg = {
      stop: () => handle.stop(),
      start: async () => {
        handle = await startEmbedded({ dataDir: dir, port });
      },
    };
    const root = postgres(withDatabase(handle.url, 'postgres'), { max: 1, onnotice: () => {} });
    await root.unsafe('create database lf');
    await root.end();
    const url = withDatabase(handle.url, 'lf');
    admin = postgres(url, { max: 2, onnotice: () => {} });
    await admin.unsafe(readFileSync(join(FIXTURES, 'live-faults.sql'), 'utf8'));
    // a short statement timeout: an evaluation the driver leaves hanging on a connection it dropped
    // is given up 5 s after it (engine.ts), well within the waits below
    const { config } = loadConfig(['--db', url, '--port', '0', '--log-level', 'silent', '--statement-timeout', '2s'], { PGLIVE_JWT_SECRET: TEST_JWT_SECRET });
    server = await startServer(config);
    tok = await jwtFor('lf_user');
    client = new LiveClient({ url: `${server.url.replace('http', 'ws')}/live`, token: tok, WebSocket: WebSocket as unknown as WebSocketCtor, reconnect: { minMs: 100, maxMs: 1000 } });
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
    await admin?.end({ timeout: 1 }).catch(() => {});
    await pg?.stop().catch(() => {});
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reconnects the pool and the LISTEN connection, resyncs, and clients converge', async (ctx) => {
    if (cannotStart !== null) ctx.skip(cannotStart);
    const queries = VIEWS.map((v) => client!.subscribe(v.table, v.query));
    const problems: string[] = [];
    for (const q of queries) watchOrder(q, problems);
    await expectConverged(server!.url, tok, queries);

    const connects = (server!.app as PgliveApp).pglive.live!.listener()!.connects();
    await pg!.stop();
    await sleep(2000); // long enough for the driver's immediate re-LISTEN to fail
    await pg!.start();
    // the first statements after the restart may meet connections that died with the old server
    await eventually(async () => {
      await admin!`select 1`;
    });
    for (let i = 0; i < 10; i++) await writeSome(admin!, i);
    await expectConverged(server!.url, tok, queries, 30_000); // postgres.js reconnects with a backoff of up to 20 s
    expect((server!.app as PgliveApp).pglive.live!.listener()!.connects()).toBeGreaterThan(connects);
    expect(queries[2]!.rows.some((r) => typeof r.id === 'number' && r.id >= 1000)).toBe(true);

    // and live updates flow again after the resync
    await admin!`insert into lf_items (id, name, n) values (900, 'after restart', 1)`;
    await eventually(() => expect(queries[2]!.rows.find((r) => r.id === 900)).toMatchObject({ name: 'after restart' }), 10_000);
    expect(problems).toEqual([]);
  }, 60_000);

  it('views whose evaluation failed while the database was down recover once it is back', async (ctx) => {
    if (cannotStart !== null) ctx.skip(cannotStart);
    const queries = VIEWS.slice(0, 2).map((v) => client!.subscribe(v.table, `${v.query}&name=neq.x`));
    const errors: string[] = [];
    for (const q of queries) q.on('error', (e) => errors.push(`${q.id}: ${e.code} ${e.message}`));
    await expectConverged(server!.url, tok, queries);

    await pg!.stop();
    // what a late notification, the polling timer or a listener resync does: evaluations now fail
    (server!.app as PgliveApp).pglive.live!.engine.markAll();
    await eventually(() => expect(errors.length).toBeGreaterThan(0), 20_000);
    await pg!.start();
    await eventually(async () => {
      await admin!`select 1`;
    });
    for (let i = 0; i < 5; i++) await writeSome(admin!, i);
    // the clients were told about the failure; now they must hold the truth…
    // postgres.js reconnects with a backoff of up to 20 s (its default): allow for it
    await expectConverged(server!.url, tok, queries, 40_000, { status: false });
    // …and say so: a subscription that recovered is live, not stuck in 'error'
    expect.soft(queries.map((q) => q.status)).toEqual(['live', 'live']);
    // a lost connection is "database unavailable" (PGLIVE501), not an internal error (PGLIVE500, "a bug")
    expect.soft(errors.every((e) => e.includes('PGLIVE501')), errors.join('; ')).toBe(true);
  }, 60_000);
});
