import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';
import type { ServerMessage } from '../../src/protocol/live.js';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await createTestApp(['rest.sql'], {}, { live: { coalesceMs: 2 } });
  url = (await listenTestApp(t)).liveUrl;
});
afterAll(async () => t?.close());

function connect(token: string): Promise<{ ws: WebSocket; next: (pred?: (m: ServerMessage) => boolean) => Promise<ServerMessage> }> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const queue: ServerMessage[] = [];
  const waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as ServerMessage;
    const w = waiters.findIndex((x) => x.pred(m));
    if (w >= 0) waiters.splice(w, 1)[0]!.resolve(m);
    else queue.push(m);
  });
  const next = (pred: (m: ServerMessage) => boolean = () => true) =>
    new Promise<ServerMessage>((resolve, reject) => {
      const i = queue.findIndex(pred);
      if (i >= 0) return resolve(queue.splice(i, 1)[0]!);
      const timer = setTimeout(() => reject(new Error('timeout waiting for a message')), 5000);
      waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }));
    ws.once('error', reject);
  });
}

describe('live basics', () => {
  it('snapshot, then patches for writes made in SQL', async () => {
    const c = await connect(await jwtFor('rest_user', { email: 'alice@x.test' }));
    expect((await c.next()).type).toBe('ready');
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'a', table: 'films', query: 'select=id,title,year&order=year.desc,id&limit=3' }));
    const snap = await c.next((m) => m.type === 'snapshot');
    if (snap.type !== 'snapshot') throw new Error('expected a snapshot');
    expect(snap.rows.map((r) => r.title)).toEqual(['Ran', 'Vagabond', 'Cléo from 5 to 7']);
    expect(snap.total).toBe(5);
    await t.db.sql`insert into films (title, year) values ('Brand New', 2020)`;
    const p1 = await c.next((m) => m.type === 'patch');
    if (p1.type !== 'patch') throw new Error('expected a patch');
    expect(p1.fromVersion).toBe(snap.version);
    expect(p1.total).toBe(6);
    expect(p1.ops).toEqual([
      { op: 'remove', key: expect.any(String) },
      { op: 'insert', key: expect.any(String), index: 0, row: { id: expect.any(Number), title: 'Brand New', year: 2020 } },
    ]);
    await t.db.sql`update films set title = 'Ran (1985)' where title = 'Ran'`;
    const p2 = await c.next((m) => m.type === 'patch');
    if (p2.type !== 'patch') throw new Error('expected a patch');
    expect(p2.fromVersion).toBe(p1.toVersion);
    expect(p2.ops).toEqual([{ op: 'update', key: '[3]', fields: { title: 'Ran (1985)' } }]);
    c.ws.close();
  });

  it('a change wakes only the views whose filters its row images can match (zero evaluations otherwise)', async () => {
    const engine = t.app.pglive.live!.engine;
    const c = await connect(await jwtFor('rest_user', { email: 'alice@x.test' }));
    await c.next((m) => m.type === 'ready');
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'y', table: 'films', query: 'select=id,title&year=eq.1962' }));
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'all', table: 'films', query: 'select=id,title' }));
    await Promise.all(['y', 'all'].map((id) => c.next((m) => m.type === 'snapshot' && m.id === id)));
    const view = [...engine.views.values()].find((v) => v.spec.query === 'select=id,title&year=eq.1962')!;
    expect(view.matcher).not.toBeNull();
    const before = { evaluations: view.evaluations, skipped: engine.skippedByImage };
    // a film of another year, inserted then updated: the unfiltered view gets both, the 1962 view neither
    await t.db.sql`insert into films (title, year) values ('Elsewhere', 1990)`;
    await c.next((m) => m.type === 'patch' && m.id === 'all');
    await t.db.sql`update films set title = 'Elsewhere, again' where title = 'Elsewhere'`;
    await c.next((m) => m.type === 'patch' && m.id === 'all');
    expect(view.evaluations).toBe(before.evaluations);
    expect(engine.skippedByImage).toBe(before.skipped + 2);
    // moving it into 1962 wakes the filtered view: the row enters it
    await t.db.sql`update films set year = 1962 where title = 'Elsewhere, again'`;
    const entered = await c.next((m) => m.type === 'patch' && m.id === 'y');
    expect(entered.type === 'patch' && entered.ops).toEqual([expect.objectContaining({ op: 'insert', row: expect.objectContaining({ title: 'Elsewhere, again' }) })]);
    // an update of a column the view does not filter on keeps the total without counting again
    const kept = engine.countsKept;
    await t.db.sql`update films set title = 'Elsewhere, once more' where title = 'Elsewhere, again'`;
    const renamed = await c.next((m) => m.type === 'patch' && m.id === 'y');
    expect(renamed.type === 'patch' && [renamed.ops, renamed.total]).toEqual([[expect.objectContaining({ op: 'update' })], 2]);
    expect(engine.countsKept).toBeGreaterThan(kept);
    await t.db.sql`delete from films where title = 'Elsewhere, once more'`;
    const left = await c.next((m) => m.type === 'patch' && m.id === 'y');
    expect(left.type === 'patch' && [left.ops, left.total]).toEqual([[{ op: 'remove', key: expect.any(String) }], 1]);
    c.ws.close();
  });

  it('counts: estimated falls back to an exact count on small tables, none sends no total, an empty window still counts', async () => {
    const c = await connect(await jwtFor('rest_user', { email: 'alice@x.test' }));
    await c.next((m) => m.type === 'ready');
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'e', table: 'directors', query: 'select=id&order=id', count: 'estimated' }));
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'n', table: 'directors', query: 'select=id&order=id', count: 'none' }));
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'x', table: 'directors', query: 'select=id&order=id&offset=100' }));
    const [e, n, x] = await Promise.all(['e', 'n', 'x'].map((id) => c.next((m) => m.type === 'snapshot' && m.id === id)));
    expect(e!.type === 'snapshot' && e!.total).toBe(3);
    expect(n!.type === 'snapshot' && n!.total).toBe(null);
    expect(x!.type === 'snapshot' && [x!.rows.length, x!.total]).toEqual([0, 3]);
    c.ws.close();
  });

  it('a keyset window (filters on the order columns) stays exact as rows enter and leave it', async () => {
    const c = await connect(await jwtFor('rest_user', { email: 'alice@x.test' }));
    await c.next((m) => m.type === 'ready');
    const ids = (await t.db.sql<{ id: number }[]>`
      insert into films (title, year) select 'Keyset ' || y, y from generate_series(2101, 2106) as y order by y returning id`).map((r) => r.id);
    const cursorId = ids[4]!; // the row of 2105: the window is the rows after it
    const query = `select=title,year&year=gte.2100&or=(year.lt.2105,and(year.eq.2105,id.lt.${cursorId}))&order=year.desc,id.desc&limit=2`;
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'k', table: 'films', query }));
    const snap = await c.next((m) => m.type === 'snapshot' && m.id === 'k');
    if (snap.type !== 'snapshot') throw new Error('expected a snapshot');
    expect(snap.rows.map((r) => r.year)).toEqual([2104, 2103]);
    expect(snap.total).toBe(4);
    // before the cursor: not in the window, nothing to send; then one that sorts first in it
    await t.db.sql`insert into films (title, year) values ('Keyset late 2106', 2106)`;
    const newId = (await t.db.sql<{ id: number }[]>`insert into films (title, year) values ('Keyset late 2104', 2104) returning id`)[0]!.id;
    const p1 = await c.next((m) => m.type === 'patch' && m.id === 'k');
    if (p1.type !== 'patch') throw new Error('expected a patch');
    expect(p1.fromVersion).toBe(snap.version);
    expect(p1.total).toBe(5);
    expect(p1.ops).toEqual([
      { op: 'remove', key: `[${ids[2]!}]` },
      { op: 'insert', key: `[${newId}]`, index: 0, row: { title: 'Keyset late 2104', year: 2104, id: newId } },
    ]);
    // it leaves: the row it pushed out comes back
    await t.db.sql`delete from films where id = ${newId}`;
    const p2 = await c.next((m) => m.type === 'patch' && m.id === 'k');
    if (p2.type !== 'patch') throw new Error('expected a patch');
    expect(p2.fromVersion).toBe(p1.toVersion);
    expect(p2.total).toBe(4);
    expect(p2.ops).toEqual([
      { op: 'remove', key: `[${newId}]` },
      { op: 'insert', key: `[${ids[2]!}]`, index: 1, row: { title: 'Keyset 2103', year: 2103, id: ids[2] } },
    ]);
    c.ws.close();
  });

  it('a new window of a query already live takes its total instead of counting again', async () => {
    const engine = t.app.pglive.live!.engine;
    const c = await connect(await jwtFor('rest_user', { email: 'alice@x.test' }));
    await c.next((m) => m.type === 'ready');
    const base = 'select=id,title&title=like.Window*&order=id';
    await t.db.sql`insert into films (title, year) select 'Window ' || g, 2000 + g from generate_series(1, 7) as g`;
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'w1', table: 'films', query: `${base}&limit=3` }));
    const first = await c.next((m) => m.type === 'snapshot' && m.id === 'w1');
    // the rows inserted above may still be on their way as a notification: wait until w1's total stands
    const w1 = [...engine.views.values()].find((v) => v.spec.query === `${base}&limit=3`)!;
    for (let i = 0; i < 200 && (w1.dirty || w1.running !== null || w1.needsCount); i++) await new Promise((r) => setTimeout(r, 10));
    expect([w1.dirty, w1.running, w1.needsCount, w1.total]).toEqual([false, null, false, 7]);
    const kept = engine.countsKept;
    c.ws.send(JSON.stringify({ type: 'subscribe', id: 'w2', table: 'films', query: `${base}&limit=3&offset=3` }));
    const second = await c.next((m) => m.type === 'snapshot' && m.id === 'w2');
    if (first.type !== 'snapshot' || second.type !== 'snapshot') throw new Error('expected snapshots');
    expect([first.total, second.total]).toEqual([7, 7]);
    expect(second.rows.map((r) => r.title)).toEqual(['Window 4', 'Window 5', 'Window 6']);
    expect(engine.countsKept).toBe(kept + 1); // the second window did not count
    // a write that changes the total reaches both windows with the new total
    await t.db.sql`insert into films (title, year) values ('Window 8', 2010)`;
    const [p1, p2] = await Promise.all(['w1', 'w2'].map((id) => c.next((m) => m.type === 'patch' && m.id === id)));
    expect([p1, p2].map((p) => (p!.type === 'patch' ? p!.total : null))).toEqual([8, 8]);
    c.ws.close();
  });

  it('closes a socket from a foreign origin (4003) and one with a bad token (4001) without serving it', async () => {
    const token = await jwtFor('rest_user', { email: 'alice@x.test' });
    const bad = new WebSocket(url, { headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` } });
    const messages: string[] = [];
    bad.on('message', (d) => messages.push(String(d)));
    const code = await new Promise<number>((resolve) => bad.on('close', (c) => resolve(c)));
    expect(code).toBe(4003);
    expect(messages).toEqual([]);
    const forged = new WebSocket(url, { headers: { authorization: `Bearer ${token.slice(0, -3)}abc` } });
    expect(await new Promise<number>((resolve) => forged.on('close', (c) => resolve(c)))).toBe(4001);
  });
});
