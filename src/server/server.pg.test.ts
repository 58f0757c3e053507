/**
 * startServer against a real database: the handle tests and benchmarks use,
 * the schema reload on NOTIFY, and close().
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/support/db.js';
import { loadConfig } from './config/load.js';
import { startServer, type ServerHandle } from './server.js';

describe('startServer', () => {
  let db: TestDb;
  let server: ServerHandle;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    const { config } = loadConfig(['--db', db.url, '--port', '0', '--log-level', 'silent'], {
      PGLIVE_ADMIN_EMAIL: 'root@example.com',
    });
    server = await startServer(config, { onLog: (l) => logs.push(l) });
  });
  afterAll(async () => {
    await server?.close();
    await db.drop();
  });

  it('migrates, creates the admin once and listens on the chosen port', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.embedded).toBeNull();
    expect(server.demoUsers).toEqual([]);
    expect(server.adminCredentials?.email).toBe('root@example.com');
    expect(server.adminCredentials?.password).toMatch(/\S{12,}/);
    expect(logs.some((l) => /^Applied migrations 1(, \d+)*$/.test(l))).toBe(true);
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBeGreaterThanOrEqual(200);
    const admins = await db.sql`select email from pglive.users where is_admin`;
    expect(admins).toEqual([{ email: 'root@example.com' }]);
  });

  it("reloads the schema cache on NOTIFY pglive, 'reload schema'", async () => {
    const has = () => server.schema.current.relations.some((r) => r.name === 'srv_reload_me');
    expect(has()).toBe(false);
    await db.sql.unsafe('create table public.srv_reload_me (id int primary key)');
    await db.sql.unsafe("notify pglive, 'reload schema'");
    const deadline = Date.now() + 10_000;
    while (!has() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(has()).toBe(true);
  });

  it('ignores other payloads on the channel', async () => {
    // the previous test's CREATE TABLE also notifies through the DDL event trigger: let reloads settle
    let before = server.schema.current.loadedAt;
    for (let settled = 0; settled < 3; ) {
      await new Promise((r) => setTimeout(r, 200));
      const now = server.schema.current.loadedAt;
      settled = now === before ? settled + 1 : 0;
      before = now;
    }
    await db.sql.unsafe("notify pglive, 'something else'");
    await new Promise((r) => setTimeout(r, 300));
    expect(server.schema.current.loadedAt).toBe(before);
  });

  it('a second start on the same database keeps the admin and reports no password', async () => {
    const { config } = loadConfig(['--db', db.url, '--port', '0', '--log-level', 'silent'], {});
    const second = await startServer(config);
    try {
      expect(second.adminCredentials).toEqual({ email: 'root@example.com', password: null });
    } finally {
      await second.close();
    }
  });

  it('close() stops listening and ends the pool, and is idempotent', async () => {
    const { config } = loadConfig(['--db', db.url, '--port', '0', '--log-level', 'silent'], {});
    const third = await startServer(config);
    await Promise.all([third.close(), third.close()]);
    await expect(fetch(`${third.url}/`)).rejects.toThrow();
    await expect(third.sql`select 1`).rejects.toThrow();
  });
});
