/**
 * Shared setup of the record and formatting e2e tests: Engineer A's harness
 * over test/fixtures/records.sql, three users (an admin and a clerk of role
 * rec_clerk, a viewer of rec_viewer), Chromium, and page helpers.
 *
 * The web app is built into a private folder per test process and served to
 * the browser by request interception: dist/web is shared with other test
 * files and with developers, who rebuild it at any time.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, logIn, newContext, startHarness, type Harness } from './harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_PREFIXES = ['/api', '/auth', '/meta', '/admin', '/live', '/healthz'];
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2' };

let built: Promise<string> | null = null;

/** the current sources, built once per process into a folder of its own */
function buildWeb(): Promise<string> {
  return (built ??= (async () => {
    const outDir = join(tmpdir(), `pglive-e2e-records-web-${process.pid}`);
    const { build } = await import('vite');
    const { default: react } = await import('@vitejs/plugin-react');
    await build({
      configFile: false,
      root: join(ROOT, 'src/web'),
      plugins: [react()],
      // until the app's record routes render ui/record (src/web/app/RecordRoutes.tsx imports a placeholder), point them there
      resolve: { alias: [{ find: /^\.\/RecordPlaceholder\.js$/, replacement: join(ROOT, 'src/web/ui/record/index.ts') }] },
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 },
      logLevel: 'warn',
    });
    return outDir;
  })());
}

/** answer the app's own requests (not the server's API) from the private build */
async function serveBuild(ctx: BrowserContext, base: string, dir: string): Promise<void> {
  await ctx.route((url) => url.origin === base && !SERVER_PREFIXES.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`)), async (route) => {
    const path = decodeURIComponent(new URL(route.request().url()).pathname);
    const file = normalize(join(dir, path));
    const asset = file.startsWith(dir) && path !== '/' && existsSync(file) && extname(file) !== '';
    const target = asset ? file : join(dir, 'index.html');
    await route.fulfill({ status: 200, contentType: TYPES[extname(target)] ?? 'application/octet-stream', body: readFileSync(target) });
  });
}

export const RECORDS_SQL = readFileSync(fileURLToPath(new URL('../test/fixtures/records.sql', import.meta.url)), 'utf8');
export const SCREENSHOTS = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

export const USERS = {
  admin: { email: 'admin@records.test', password: 'records-admin-pw', role: 'rec_clerk', displayName: 'Ada Admin', isAdmin: true },
  clerk: { email: 'clerk@records.test', password: 'records-clerk-pw', role: 'rec_clerk', displayName: 'Carl Clerk' },
  viewer: { email: 'viewer@records.test', password: 'records-viewer-pw', role: 'rec_viewer', displayName: 'Vera Viewer' },
} as const;

export type Who = keyof typeof USERS;

export interface RecordsEnv {
  readonly h: Harness;
  readonly browser: Browser;
  /** a fresh browser context logged in as `who`, at `path` */
  open(who: Who, path: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startRecordsEnv(adminUrl: string): Promise<RecordsEnv> {
  const [h, dir] = await Promise.all([startHarness({ adminUrl, setupSql: RECORDS_SQL }), buildWeb()]);
  for (const u of Object.values(USERS)) await h.createUser(u);
  // pages served by interception count as public to Chromium, which then blocks their websocket to 127.0.0.1
  const browser = await chromium
    .launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests'],
    })
    .catch(async (e: unknown) => {
      // no test database left behind when Chromium cannot start
      await h.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
      throw e;
    });
  return {
    h,
    browser,
    async open(who, path) {
      const ctx = await newContext(browser);
      await serveBuild(ctx, h.url, dir);
      const page = await ctx.newPage();
      const u = USERS[who];
      await logIn(page, h.url, u.email, u.password, path);
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await h.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
