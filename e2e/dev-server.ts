/**
 * A throw-away pglive over a fresh demo database, for looking at the web app
 * by hand: `npx tsx e2e/dev-server.ts` (uses TEST_DATABASE_URL), then log in as
 * manager@acme.test / acme-manager. Ctrl-C drops the database.
 */
import { startHarness } from './harness.js';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const h = await startHarness({ adminUrl, demo: true, demoUsers: true });
console.log(`pglive at ${h.url} (database ${h.dbUrl})`);
const stop = async () => {
  await h.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
