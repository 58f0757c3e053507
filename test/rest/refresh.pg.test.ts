/**
 * POST /meta/refresh/:schema/:relation against a real PostgreSQL: PostgreSQL
 * decides who may refresh (the owner here), the refreshed rows reach live
 * views, and every refusal has its stable code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClient, type WebSocketCtor } from '../../src/client/client.js';
import type { MetaSchema } from '../../src/server/http/meta.js';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';
import { eventually } from '../support/live-probe.js';

let t: TestApp;
let liveUrl: string;
beforeAll(async () => {
  t = await createTestApp(['refresh.sql'], {}, { live: { coalesceMs: 2 } });
  liveUrl = (await listenTestApp(t)).liveUrl;
});
afterAll(async () => t?.close());

async function refresh(role: string | null, path: string, body?: unknown) {
  const headers: Record<string, string> = role ? { authorization: `Bearer ${await jwtFor(role)}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const r = await t.app.inject({ method: 'POST', url: `/meta/refresh/${path}`, headers, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}) });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
}

describe('POST /meta/refresh/:schema/:relation', () => {
  it('tells each role in /meta/schema whether it may refresh', async () => {
    const privileges = async (role: string) => {
      const r = await t.app.inject({ url: '/meta/schema', headers: { authorization: `Bearer ${await jwtFor(role)}` } });
      const m = r.json() as MetaSchema;
      return Object.fromEntries(m.relations.map((x) => [x.name, x.privileges.refresh]));
    };
    expect(await privileges('refresh_owner')).toMatchObject({ team_totals: true, team_counts: true, scores: false });
    expect(await privileges('refresh_reader')).toEqual({ scores: false, team_totals: false, team_counts: false, team_list: false });
  });

  it('refreshes as the owner, and live views of the materialized view receive the new rows', async () => {
    const client = new LiveClient({
      url: liveUrl,
      WebSocket: WebSocket as unknown as WebSocketCtor,
      headers: { authorization: `Bearer ${await jwtFor('refresh_reader')}` },
    });
    try {
      const totals = client.subscribe('team_totals', 'select=team,points&order=team');
      await eventually(() => expect(totals.rows).toEqual([{ team: 'blue', points: 1 }, { team: 'red', points: 7 }]));
      await t.db.sql`insert into scores (team, points) values ('blue', 10), ('green', 2)`;
      // a materialized view does not follow its tables until refreshed
      const before = await t.db.sql`select points from team_totals where team = 'blue'`;
      expect(before[0]!.points).toBe(1);

      for (const concurrently of [false, true]) {
        const r = await refresh('refresh_owner', 'public/team_totals', concurrently ? { concurrently } : undefined);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ schema: 'public', relation: 'team_totals', concurrently, ms: expect.any(Number) });
      }
      await eventually(() =>
        expect([totals.rows, totals.total]).toEqual([[{ team: 'blue', points: 11 }, { team: 'green', points: 2 }, { team: 'red', points: 7 }], 3]),
      );
    } finally {
      client.close();
    }
  });

  it('live views follow a refresh made here even without the DDL event trigger (the route sends the notice too)', async () => {
    const client = new LiveClient({ url: liveUrl, WebSocket: WebSocket as unknown as WebSocketCtor, headers: { authorization: `Bearer ${await jwtFor('refresh_reader')}` } });
    await t.db.sql`alter event trigger pglive_ddl disable`;
    try {
      // the table changes first; the view then shows the stale figure until the refresh, which alone can wake it
      const [{ n }] = (await t.db.sql`select n from team_counts where team = 'red'`) as unknown as [{ n: number }];
      await t.db.sql`insert into scores (team, points) values ('red', 1)`;
      const counts = client.subscribe('team_counts', 'select=team,n&order=team');
      await eventually(() => expect(counts.rows.find((r) => r.team === 'red')).toEqual({ team: 'red', n }));
      await new Promise((r) => setTimeout(r, 200)); // the insert's own notice has come and gone
      expect(counts.rows.find((r) => r.team === 'red')).toEqual({ team: 'red', n });
      expect((await refresh('refresh_owner', 'public/team_counts')).status).toBe(200);
      await eventually(() => expect(counts.rows.find((r) => r.team === 'red')).toEqual({ team: 'red', n: n + 1 }));
    } finally {
      await t.db.sql`alter event trigger pglive_ddl enable`;
      client.close();
    }
  });

  it('leaves the refresh to PostgreSQL: a role that does not own the view gets 403 (42501)', async () => {
    const r = await refresh('refresh_reader', 'public/team_totals');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: '42501', message: expect.stringMatching(/owner/) });
  });

  it('refuses what is not a materialized view, unknown relations, bad bodies and missing credentials', async () => {
    expect(await refresh('refresh_owner', 'public/scores')).toMatchObject({ status: 400, body: { code: 'PGLIVE109' } });
    expect(await refresh('refresh_reader', 'public/team_list')).toMatchObject({ status: 400, body: { code: 'PGLIVE109' } });
    expect(await refresh('refresh_owner', 'public/no_such_view')).toMatchObject({ status: 404, body: { code: 'PGRST205' } });
    expect(await refresh('refresh_owner', 'other/team_totals')).toMatchObject({ status: 404, body: { code: 'PGRST205' } });
    expect(await refresh('refresh_owner', 'public/team_totals', { concurrently: 'yes' })).toMatchObject({ status: 400, body: { code: 'PGRST102' } });
    expect(await refresh('refresh_owner', 'public/team_totals', { fast: true })).toMatchObject({ status: 400, body: { code: 'PGRST102' } });
    expect(await refresh(null, 'public/team_totals')).toMatchObject({ status: 401 });
  });

  it('says why a concurrent refresh cannot run (no unique index): 409 PGLIVE110, and a plain refresh still works', async () => {
    const r = await refresh('refresh_owner', 'public/team_counts', { concurrently: true });
    expect(r).toMatchObject({ status: 409, body: { code: 'PGLIVE110', details: expect.stringMatching(/concurrently/), hint: expect.stringMatching(/unique index/) } });
    expect((await refresh('refresh_owner', 'public/team_counts')).status).toBe(200);
  });
});
