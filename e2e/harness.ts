/**
 * End-to-end harness: a fresh database (demo schema, or SQL of the test's
 * own), a real pglive listening on a free port and serving the built web app,
 * pglive users, and Chromium (Debian's, never downloaded) driven by
 * playwright-core. Usable from vitest (adminUrl injected) and from scripts.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type ServerHandle } from '../src/server/server.js';
import { loadDemo, DEMO_USERS } from '../src/server/demo/index.js';
import type { PgliveApp } from '../src/server/app.js';
import { testConfig } from '../test/support/app.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_INDEX = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));

let building: Promise<void> | null = null;

/** Build the web app once if dist/web is missing (`npm run build` is the normal way). */
export function ensureWebBuilt(): Promise<void> {
  if (existsSync(WEB_INDEX)) return Promise.resolve();
  return (building ??= (async () => {
    const { build } = await import('vite');
    await build({ configFile: `${ROOT}/vite.config.ts`, root: `${ROOT}/src/web`, logLevel: 'warn' });
  })());
}

export interface E2EUser {
  email: string;
  password: string;
  role: string;
  displayName: string;
}

export interface Harness {
  readonly url: string;
  readonly server: ServerHandle;
  /** superuser connection to the test database: the "other writer" */
  readonly sql: postgres.Sql;
  readonly dbUrl: string;
  createUser(u: E2EUser & { isAdmin?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** superuser URL of the PostgreSQL cluster (tests: inject('adminUrl')) */
  adminUrl: string;
  /** load the Acme demo (200k rows, ~1.5 s) */
  demo?: boolean;
  /** SQL run after the demo (fixtures of the test) */
  setupSql?: string;
  /** create the demo's pglive users (manager, eu, us) */
  demoUsers?: boolean;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const built = ensureWebBuilt();
  const name = `pglive_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const root = postgres(opts.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await root.unsafe(`create database "${name}"`);
  } finally {
    await root.end();
  }
  const dbUrl = withDatabase(opts.adminUrl, name);
  const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  let server: ServerHandle | null = null;
  const drop = async () => {
    await sql.end({ timeout: 5 }).catch(() => {});
    const r = postgres(opts.adminUrl, { max: 1, onnotice: () => {} });
    await r.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
    await r.end();
  };
  try {
    if (opts.demo) {
      const { createPool } = await import('../src/server/db/pool.js');
      const pool = createPool(dbUrl, { max: 1 });
      try {
        await loadDemo(pool);
      } finally {
        await pool.end({ timeout: 5 });
      }
    }
    if (opts.setupSql) await sql.unsafe(opts.setupSql);
    await built;
    server = await startServer(testConfig({ databaseUrl: dbUrl, port: 0, poolSize: 6 }), { logger: false });
    const app = server.app as PgliveApp;
    const h: Harness = {
      url: server.url,
      server,
      sql,
      dbUrl,
      async createUser(u) {
        await app.pglive.auth.createUser({ email: u.email, password: u.password, displayName: u.displayName, dbRole: u.role, isAdmin: u.isAdmin ?? false });
      },
      async close() {
        await server?.close();
        await drop();
      },
    };
    if (opts.demoUsers) for (const u of DEMO_USERS) await h.createUser(u);
    return h;
  } catch (e) {
    await server?.close().catch(() => {});
    await drop();
    throw e;
  }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/**
 * The harness and Chromium, started side by side. If either fails (no Chromium
 * installed, say), the other is closed, so no test database is left behind.
 */
export async function startHarnessAndBrowser(opts: HarnessOptions): Promise<[Harness, Browser]> {
  const [h, b] = await Promise.allSettled([startHarness(opts), launchChromium()]);
  if (h.status === 'fulfilled' && b.status === 'fulfilled') return [h.value, b.value];
  if (h.status === 'fulfilled') await h.value.close().catch(() => {});
  if (b.status === 'fulfilled') await b.value.close().catch(() => {});
  throw h.status === 'rejected' ? h.reason : (b as PromiseRejectedResult).reason;
}

export async function newContext(browser: Browser, opts: { dark?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: opts.dark ? 'dark' : 'light', acceptDownloads: true });
}

/** Log in through the login page and wait for the shell. */
export async function logIn(page: Page, baseUrl: string, email: string, password: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login${path === '/' ? '' : `?next=${encodeURIComponent(path)}`}`);
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('user-menu').waitFor();
}
