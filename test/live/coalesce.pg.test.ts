/**
 * Coalescing: a burst of writes folds into few evaluations (at most one
 * wake-up per coalescing window), while a lone change is evaluated at once
 * instead of waiting out the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { LiveClient, type WebSocketCtor } from '../../src/client/client.js';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';
import { eventually } from '../support/live-probe.js';

// a long window: a test that waited it out could not pass by luck, even on a loaded machine
const WINDOW_MS = 1000;
let t: TestApp;
let client: LiveClient;

beforeAll(async () => {
  t = await createTestApp(['rest.sql'], {}, { live: { coalesceMs: WINDOW_MS } });
  const { liveUrl } = await listenTestApp(t);
  client = new LiveClient({ url: liveUrl, WebSocket: WebSocket as unknown as WebSocketCtor, headers: { authorization: `Bearer ${await jwtFor('rest_user', { email: 'alice@x.test' })}` } });
});
afterAll(async () => {
  client?.close();
  await t?.close();
});

describe('coalescing', () => {
  it('a burst of 200 single-row writes wakes the engine at most once per window, and the view ends exact', async () => {
    const engine = t.app.pglive.live!.engine;
    const films = client.subscribe('films', 'select=id,year&order=id');
    await eventually(() => expect(films.status).toBe('live'));
    const [{ id }] = (await t.db.sql`select min(id)::int as id from films`) as unknown as [{ id: number }];
    const before = { flushes: engine.flushes, evaluations: engine.evaluations };
    const started = performance.now();
    // 200 transactions, 8 at a time: as fast as the database takes them
    for (let i = 0; i < 200; i += 8) {
      await Promise.all(Array.from({ length: 8 }, (_, j) => t.db.sql`update films set year = ${1900 + i + j} where id = ${id}`));
    }
    // the 8 writes of a round commit in any order: the last committed value is the database's
    const [{ year }] = (await t.db.sql`select year from films where id = ${id}`) as unknown as [{ year: number }];
    await eventually(() => expect(films.rows.find((r) => r.id === id)?.year).toBe(year));
    const elapsed = performance.now() - started;
    const flushes = engine.flushes - before.flushes;
    expect(flushes).toBeLessThanOrEqual(Math.ceil(elapsed / WINDOW_MS) + 1);
    expect(flushes).toBeLessThan(200);
    // one view: each wake-up evaluates it once (a change that lands during an evaluation waits for the next)
    expect(engine.evaluations - before.evaluations).toBeLessThanOrEqual(flushes);
  });

  it('a lone change after a quiet spell does not wait for the window', async () => {
    const engine = t.app.pglive.live!.engine;
    const films = client.subscribe('films', 'select=id,title&order=id');
    await eventually(() => expect(films.status).toBe('live'));
    await new Promise((r) => setTimeout(r, 2 * WINDOW_MS));
    const [{ id }] = (await t.db.sql`select min(id)::int as id from films`) as unknown as [{ id: number }];
    const flushes = engine.flushes;
    const arrived = new Promise<number>((resolve) => {
      const off = films.on('change', () => {
        if (films.rows.find((r) => r.id === id)?.title !== 'Quiet, then this') return;
        off();
        resolve(performance.now());
      });
    });
    const started = performance.now();
    await t.db.sql`update films set title = 'Quiet, then this' where id = ${id}`;
    expect((await arrived) - started).toBeLessThan(WINDOW_MS);
    expect(engine.flushes).toBe(flushes + 1);
  });
});
