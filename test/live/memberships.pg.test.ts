/**
 * A role granted or revoked fires no event trigger (roles are shared objects),
 * yet a policy that tests membership changes what a role sees. The live engine
 * polls role memberships and re-evaluates its views when they change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClient, type WebSocketCtor } from '../../src/client/client.js';
import { membershipFingerprints } from '../../src/server/live/capture/fingerprint.js';
import { createTestApp, jwtFor, listenTestApp, type TestApp } from '../support/app.js';
import { eventually } from '../support/live-probe.js';

let t: TestApp;
let client: LiveClient;

beforeAll(async () => {
  t = await createTestApp(['memberships.sql'], {}, { live: { coalesceMs: 2, roleCheckMs: 200 } });
  const { liveUrl } = await listenTestApp(t);
  client = new LiveClient({ url: liveUrl, WebSocket: WebSocket as unknown as WebSocketCtor, headers: { authorization: `Bearer ${await jwtFor('pm_reader')}` } });
});
afterAll(async () => {
  client?.close();
  if (!t) return;
  await t.db.sql`revoke pm_readers from pm_reader`.catch(() => {});
  await t.close();
});

describe('role memberships', () => {
  it('are read for the roles asked about, except superusers (members of every role, past row-level security)', async () => {
    const [me] = (await t.db.sql`select current_user::text as name, (select rolsuper from pg_roles where rolname = current_user) as superuser`) as unknown as [{ name: string; superuser: boolean }];
    const prints = await membershipFingerprints(t.sql, [me!.name, 'pm_reader', 'pm_no_such_role']);
    expect([...prints.keys()].sort()).toEqual(me!.superuser ? ['pm_reader'] : [me!.name, 'pm_reader'].sort());
  });

  it('granting and revoking a role moves rows in and out of a live view whose policy tests it', async () => {
    const notes = client.subscribe('notes', 'select=id,body&order=id');
    await eventually(() => expect([notes.status, notes.rows]).toEqual(['live', []]));
    // the engine reads a new role's memberships within 100 ms of its first view
    await new Promise((r) => setTimeout(r, 300));
    const engine = t.app.pglive.live!.engine;
    const before = engine.evaluations;
    await t.db.sql`grant pm_readers to pm_reader`;
    await eventually(() => expect(notes.rows.map((r) => r.id)).toEqual([1, 2]), 10_000);
    // the schema reload re-evaluates the view, once
    await new Promise((r) => setTimeout(r, 500));
    expect(engine.evaluations - before).toBe(1);
    await t.db.sql`revoke pm_readers from pm_reader`;
    await eventually(() => expect(notes.rows).toEqual([]), 10_000);
  });
});
