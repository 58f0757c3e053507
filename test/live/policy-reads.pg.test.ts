/**
 * Row-level security that reads another table (a membership table, here
 * through a view): a write there changes which rows a role sees, so it must
 * reach the live views of the protected table, though no row of it changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClient, type WebSocketCtor } from '../../src/client/client.js';
import { schemaIndex } from '../../src/server/catalog/index.js';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';
import { eventually } from '../support/live-probe.js';

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await createTestApp(['policy-reads.sql'], {}, { live: { coalesceMs: 2 } });
  url = (await listenTestApp(t)).liveUrl;
});
afterAll(async () => t?.close());

const oidOf = async (name: string) => ((await t.db.sql`select ${name}::regclass::oid as oid`) as unknown as [{ oid: number }])[0].oid;

describe('policies that read other tables', () => {
  it('the catalogue knows the tables a read policy reads, through views, and not those of write-only policies', async () => {
    const tasks = schemaIndex(t.store.current).relation('public', 'tasks')!;
    expect(tasks.policyReads.map(Number)).toEqual([Number(await oidOf('memberships'))]);
    expect(schemaIndex(t.store.current).relation('public', 'teams')!.policyReads).toEqual([]);
  });

  it('a membership granted or revoked in SQL moves tasks in and out of the role’s live view', async () => {
    const client = new LiveClient({ url, WebSocket: WebSocket as unknown as WebSocketCtor, headers: { authorization: `Bearer ${await jwtFor('pr_member')}` } });
    try {
      const tasks = client.subscribe('tasks', 'select=id,title&order=id');
      const titles = () => tasks.rows.map((r) => r.title);
      await eventually(() => expect(titles()).toEqual(['paint the fence', 'water the plants']));
      await t.db.sql`insert into memberships values ('pr_member', 2)`;
      await eventually(() => expect([titles(), tasks.total]).toEqual([['paint the fence', 'fix the roof', 'water the plants'], 3]));
      await t.db.sql`delete from memberships where role_name = 'pr_member' and team_id = 1`;
      await eventually(() => expect([titles(), tasks.total]).toEqual([['fix the roof'], 1]));
    } finally {
      client.close();
    }
  });
});
