import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveClient, LiveClientError, type WebSocketCtor } from './client.js';
import type { ConnectionStatus } from './state.js';
import type { LiveQuery } from './query.js';
import { FakeServer, within, type FakeConnection } from './testing/fake-server.js';
import { MiniWebSocket } from './testing/mini-ws.js';
import { CLOSE, PROTOCOL_VERSION, type PatchOp, type Row } from '../protocol/live.js';

// Node ≥ 22 (or 20 with --experimental-websocket) has a standard WebSocket: prefer it, as browsers would
const WS: WebSocketCtor = (globalThis as { WebSocket?: WebSocketCtor }).WebSocket ?? MiniWebSocket;
// the browser's WebSocket type must fit the injection point
const _typeCheck: WebSocketCtor | undefined = typeof WebSocket === 'undefined' ? undefined : WebSocket;
void _typeCheck;

let server: FakeServer;
const clients: LiveClient[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.stop();
});

function connect(extra: Partial<ConstructorParameters<typeof LiveClient>[0]> = {}): LiveClient {
  const client = new LiveClient({ url: server.url, WebSocket: WS, reconnect: { minMs: 5, maxMs: 20 }, ...extra });
  clients.push(client);
  return client;
}

function untilState(client: LiveClient, status: ConnectionStatus) {
  if (client.state.status === status) return Promise.resolve(client.state);
  return within(client.once('state', (s) => s.status === status).then(([s]) => s), `waiting for state ${status}`);
}

function untilChange(q: LiveQuery) {
  return within(q.once('change').then(([ev]) => ev), 'waiting for a change');
}

const snapshot = (id: string, version: number, rows: Row[]) => ({
  type: 'snapshot' as const,
  id,
  version,
  keys: rows.map((r) => `[${r['id']}]`),
  rows,
  total: rows.length,
  mode: 'live' as const,
});
const patch = (id: string, fromVersion: number, toVersion: number, ops: PatchOp[], total: number | null = null) => ({
  type: 'patch' as const,
  id,
  fromVersion,
  toVersion,
  ops,
  total,
});

async function subscribed(client: LiveClient, conn: FakeConnection, rows: Row[] = [{ id: 1, t: 'a' }, { id: 2, t: 'b' }]) {
  const q = client.subscribe('films', 'order=id', { schema: 'app' });
  const sub = await conn.next('subscribe');
  expect(sub).toEqual({ type: 'subscribe', id: q.id, table: 'films', query: 'order=id', schema: 'app', count: 'exact' });
  conn.send(snapshot(q.id, 1, rows));
  await untilChange(q);
  return q;
}

describe('LiveClient', () => {
  it('applies a snapshot then patches, in order, with change events', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    expect(q.status).toBe('live');
    expect(q.rows).toEqual([{ id: 1, t: 'a' }, { id: 2, t: 'b' }]);
    expect([q.version, q.total, q.mode]).toEqual([1, 2, 'live']);

    const ops: PatchOp[] = [
      { op: 'insert', key: '[3]', index: 0, row: { id: 3, t: 'c' } },
      { op: 'update', key: '[2]', fields: { t: 'B' } },
      { op: 'remove', key: '[1]' },
    ];
    conn.send(patch(q.id, 1, 2, ops, 2));
    const ev = await untilChange(q);
    expect(ev).toEqual({ ops, snapshot: false });
    expect(q.rows).toEqual([{ id: 3, t: 'c' }, { id: 2, t: 'B' }]);
    expect(q.keys).toEqual(['[3]', '[2]']);
    expect([q.version, q.total]).toEqual([2, 2]);

    conn.send(patch(q.id, 2, 3, [{ op: 'move', key: '[3]', index: 1 }], 2));
    await untilChange(q);
    expect(q.keys).toEqual(['[2]', '[3]']);
    expect(q.version).toBe(3);
  });

  it('asks for a resync on a version gap and ignores patches until the snapshot', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    const reasons: string[] = [];
    q.on('resync', (r) => reasons.push(r));

    conn.send(patch(q.id, 2, 3, [{ op: 'remove', key: '[1]' }])); // version 1→2 was lost
    expect(await conn.next('resync')).toEqual({ type: 'resync', id: q.id });
    expect(q.status).toBe('loading');
    expect(reasons[0]).toMatch(/version gap: holding 1, patch from 2/);
    expect(q.rows).toHaveLength(2); // stale rows stay visible

    const changes: boolean[] = [];
    q.on('change', (ev) => changes.push(ev.snapshot));
    conn.send(patch(q.id, 3, 4, [{ op: 'remove', key: '[2]' }])); // ignored: waiting for the snapshot
    conn.send(snapshot(q.id, 4, [{ id: 9, t: 'z' }]));
    await within(q.once('change'), 'snapshot');
    expect(changes).toEqual([true]);
    expect(q.rows).toEqual([{ id: 9, t: 'z' }]);
    expect([q.status, q.version]).toEqual(['live', 4]);
  });

  it('asks for a resync when a patch does not fit the held rows', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    const reason = q.once('resync');
    conn.send(patch(q.id, 1, 2, [{ op: 'update', key: '[42]', fields: { t: 'x' } }]));
    expect(await conn.next('resync')).toEqual({ type: 'resync', id: q.id });
    expect((await reason)[0]).toMatch(/inconsistent patch: update of unknown row \[42\]/);
    expect(q.version).toBe(1); // nothing applied
    expect(q.rows).toEqual([{ id: 1, t: 'a' }, { id: 2, t: 'b' }]);
  });

  it('reconnects after a dropped socket and resumes every subscription from its last version', async () => {
    const client = connect();
    const states: string[] = [];
    client.on('state', (s) => states.push(s.status));
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    conn.send(patch(q.id, 1, 5, [{ op: 'remove', key: '[1]' }], 1));
    await untilChange(q);
    const pending = client.subscribe('orders', 'limit=10', { count: 'none' }); // never got a snapshot
    await conn.next('subscribe');

    conn.drop();
    const again = await server.nextConnection();
    expect(await again.next('resume')).toEqual({
      type: 'resume', id: q.id, table: 'films', query: 'order=id', schema: 'app', count: 'exact', version: 5,
    });
    expect(await again.next('subscribe')).toEqual({ type: 'subscribe', id: pending.id, table: 'orders', query: 'limit=10', count: 'none' });
    expect(states).toEqual(['open', 'reconnecting', 'connecting', 'open']);
    expect(client.state.status).toBe('open');

    // the server answers the resume with what changed since version 5
    again.send(patch(q.id, 5, 6, [{ op: 'update', key: '[2]', fields: { t: 'new' } }], 1));
    await untilChange(q);
    expect(q.rows).toEqual([{ id: 2, t: 'new' }]);
  });

  it('resubscribes from scratch after reconnecting when its rows were not trusted', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    conn.send(patch(q.id, 7, 8, []));
    await conn.next('resync');
    conn.drop();
    const again = await server.nextConnection();
    expect((await again.next()).type).toBe('subscribe'); // not resume from a version we know is broken
  });

  it('goes through connecting → open → reconnecting → connecting with a backoff delay', async () => {
    const client = connect({ autoConnect: false });
    const seen: { status: string; attempt?: number; delayMs?: number; code?: number | null }[] = [];
    client.on('state', (s) => seen.push(s.status === 'reconnecting' ? { status: s.status, attempt: s.attempt, delayMs: s.delayMs, code: s.lastClose.code } : { status: s.status }));
    expect(client.state.status).toBe('closed');
    client.connect();
    await untilState(client, 'open');
    expect(client.state).toEqual({ status: 'open', role: 'web_user', user: 'u1' });
    (await server.nextConnection()).close(CLOSE.SHUTTING_DOWN, 'bye');
    await untilState(client, 'reconnecting');
    await untilState(client, 'open');
    expect(seen[0]).toEqual({ status: 'connecting' });
    expect(seen[1]).toEqual({ status: 'open' });
    expect(seen[2]).toMatchObject({ status: 'reconnecting', attempt: 1, code: CLOSE.SHUTTING_DOWN });
    expect(seen[2]!.delayMs).toBeGreaterThanOrEqual(2);
    expect(seen[2]!.delayMs).toBeLessThanOrEqual(5);
    expect(seen.slice(3).map((s) => s.status)).toEqual(['connecting', 'open']);
  });

  it('backs off further while the server stays down, then stops on close()', async () => {
    const client = connect({ reconnect: { minMs: 5, maxMs: 40 } });
    await untilState(client, 'open');
    const delays: number[] = [];
    client.on('state', (s) => s.status === 'reconnecting' && delays.push(s.delayMs));
    await server.stop();
    await within(client.once('state', () => delays.length >= 4), 'four reconnect attempts');
    expect(delays[3]!).toBeGreaterThan(delays[0]!);
    client.close();
    expect(client.state).toMatchObject({ status: 'closed', code: CLOSE.NORMAL });
    server = await FakeServer.start(); // for afterEach
  });

  it('sends the token as the first message and subscribes only once ready', async () => {
    await server.stop();
    server = await FakeServer.start({ token: 's3cret' });
    const client = connect({ token: 's3cret' });
    const q = client.subscribe('films');
    const conn = await server.nextConnection();
    expect(await conn.next()).toEqual({ type: 'auth', token: 's3cret' });
    expect(await conn.next()).toMatchObject({ type: 'subscribe', id: q.id, query: '' });
    expect(client.state.status).toBe('open');
  });

  it('stops for good when the server refuses the credentials', async () => {
    await server.stop();
    server = await FakeServer.start({ token: 's3cret' });
    const client = connect({ token: 'wrong' });
    const closed = await untilState(client, 'closed');
    expect(closed).toMatchObject({ status: 'closed', code: CLOSE.UNAUTHENTICATED, reason: 'bad token' });
    await new Promise((r) => setTimeout(r, 60));
    expect(server.connections).toHaveLength(1); // no retry loop
  });

  it('passes headers on the upgrade (Node)', async () => {
    connect({ headers: { Cookie: 'pglive_session=abc', Origin: 'http://app.test' } });
    const conn = await server.nextConnection();
    expect(conn.headers['cookie']).toBe('pglive_session=abc');
    expect(conn.headers['origin']).toBe('http://app.test');
  });

  it('reports invalid server messages as errors and keeps working', async () => {
    const client = connect();
    const errors: LiveClientError[] = [];
    client.on('error', (e) => errors.push(e));
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    conn.sendRaw('not json');
    conn.sendRaw(JSON.stringify({ type: 'teleport', id: q.id }));
    conn.sendRaw(JSON.stringify({ ...patch(q.id, 1, 2, []), ops: [{ op: 'remove' }] }));
    conn.send({ ...snapshot(q.id, 2, [{ id: 1 }]), keys: ['[1]', '[2]'] });
    conn.send(patch(q.id, 1, 2, [{ op: 'remove', key: '[1]' }], 1));
    await untilChange(q);
    expect(errors.map((e) => e.code)).toEqual(['invalid-message', 'invalid-message', 'invalid-message']);
    expect(errors[0]!.message).toMatch(/not JSON/);
    expect(q.rows).toEqual([{ id: 2, t: 'b' }]);
    // the inconsistent snapshot was refused (rows above are the patched ones, not its rows);
    // the valid patch that followed means the server is sending good data again
    expect(q.status).toBe('live');
  });

  it('routes errors with an id to their query and others to the client', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = client.subscribe('nope');
    await conn.next('subscribe');
    const qErr = q.once('error');
    conn.send({ type: 'error', id: q.id, code: 'PGRST205', message: 'Table not found', hint: 'Known: films' });
    expect((await within(qErr, 'query error'))[0]).toEqual({ code: 'PGRST205', message: 'Table not found', details: null, hint: 'Known: films' });
    expect(q.status).toBe('error');

    const cErr = client.once('error');
    conn.send({ type: 'error', code: 'PGLIVE999', message: 'Too many subscriptions' });
    const [err] = await within(cErr, 'client error');
    expect([err.code, err.message]).toEqual(['PGLIVE999', 'Too many subscriptions']);
  });

  it('unsubscribes and ignores later messages for that id', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const q = await subscribed(client, conn);
    q.unsubscribe();
    expect(await conn.next()).toEqual({ type: 'unsubscribe', id: q.id });
    expect(client.queries).toEqual([]);
    let changed = false;
    q.on('change', () => (changed = true));
    conn.send(patch(q.id, 1, 2, [{ op: 'remove', key: '[1]' }]));
    const q2 = await subscribed(client, conn); // a later message proves the patch was processed
    expect(q2.id).not.toBe(q.id);
    expect(changed).toBe(false);
    expect(q.rows).toHaveLength(2);
  });

  it('pings and treats two unanswered pings as a dead connection', async () => {
    await server.stop();
    server = await FakeServer.start({ autoPong: false });
    const client = connect({ pingIntervalMs: 30 });
    const first = await server.nextConnection();
    const reconnecting = await untilState(client, 'reconnecting');
    expect(first.pings).toBe(2);
    expect(reconnecting).toMatchObject({ lastClose: { code: null, reason: 'no pong for 2 pings' } });
    await server.nextConnection(); // and it reconnects
  });

  it('stays open while pongs come back', async () => {
    const client = connect({ pingIntervalMs: 40 });
    const conn = await server.nextConnection();
    await untilState(client, 'open');
    await new Promise((r) => setTimeout(r, 300));
    expect(conn.pings).toBeGreaterThanOrEqual(3);
    expect(client.state.status).toBe('open');
  });

  it('updates role and user when the server sends a new ready', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    await untilState(client, 'open');
    conn.send({ type: 'ready', protocol: PROTOCOL_VERSION, role: 'admin', user: 'u1' });
    await within(client.once('state', (s) => s.status === 'open' && s.role === 'admin'), 'new role');
  });

  it('passes schema-changed on', async () => {
    const client = connect();
    const conn = await server.nextConnection();
    const got = client.once('schema-changed');
    conn.send({ type: 'schema-changed', at: 123 });
    expect((await within(got, 'schema-changed'))[0]).toBe(123);
  });
});
