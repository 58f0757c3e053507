/**
 * Vitest global setup: use TEST_DATABASE_URL when set (CI: the machine's
 * PostgreSQL), otherwise start an embedded PostgreSQL for the whole run.
 * Tests get the admin URL through inject('adminUrl') and create their own
 * uniquely-named databases (test/support/db.ts).
 */
import type { TestProject } from 'vitest/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './live-probe.js';
import { startEmbedded } from '../../src/server/db/embedded.js';

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
  // the same embedded cluster `pglive` starts without --db (UTF-8, 127.0.0.1 only, generated password)
  const dir = mkdtempSync(join(tmpdir(), 'pglive-test-pg-'));
  const pg = await startEmbedded({ dataDir: dir, port: await freePort() });
  const admin = new URL(pg.url);
  admin.pathname = '/postgres';
  project.provide('adminUrl', admin.toString());
  return async () => {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
