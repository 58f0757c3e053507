/**
 * The web app at /: files from dist/web, index.html for client-side routes
 * (deep links survive a reload), 404 JSON for the server's own prefixes, and
 * a 503 page that says how to build when dist/web is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { installErrorHandling } from '../src/server/http/errors.js';
import { registerStatic } from '../src/server/http/static.js';
import { createTestApp, type TestApp } from './support/app.js';

const INDEX = '<!doctype html><html><body><div id="root"></div>app-index</body></html>';

async function staticApp(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  app.get('/api/things', async () => ({ ok: true }));
  registerStatic(app, { root });
  await app.ready();
  return app;
}

describe('static web app over a built folder', () => {
  let dir: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pglive-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("hi")');
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *');
    app = await staticApp(dir);
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without long caching', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('app-index');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers deep links with index.html (SPA fallback), query strings included', async () => {
    for (const url of ['/login', '/t/public/orders', '/t/public/orders/42?x=1', '/t/sales/order%20lines/new']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('app-index');
    }
  });

  it('serves hashed assets as immutable, other files plainly', async () => {
    const js = await app.inject('/assets/index-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    const txt = await app.inject('/robots.txt');
    expect(txt.statusCode).toBe(200);
    expect(txt.body).toBe('User-agent: *');
  });

  it('gives a missing asset a 404, not the HTML of the app', async () => {
    for (const url of ['/assets/gone-999.js', '/favicon.ico']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('app-index');
    }
  });

  it('leaves the server prefixes to their routes and their JSON 404', async () => {
    expect((await app.inject('/api/things')).json()).toEqual({ ok: true });
    for (const url of ['/api/nope', '/auth/nope', '/meta/nope', '/admin/x', '/live/x', '/healthz/x', '/api']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code, url).toBe('PGLIVE105');
    }
  });

  it('does not escape the folder', async () => {
    for (const url of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.body, url).not.toContain('"name"');
    }
  });

  it('does not answer other methods', async () => {
    const res = await app.inject({ method: 'POST', url: '/t/public/orders' });
    expect(res.statusCode).toBe(404);
  });
});

describe('static web app when not built', () => {
  let app: FastifyInstance;
  const missing = join(tmpdir(), `pglive-no-web-${process.pid}-${Date.now()}`);
  beforeAll(async () => {
    app = await staticApp(missing);
  });
  afterAll(async () => app.close());

  it('answers pages with a 503 that says to build', async () => {
    for (const url of ['/', '/t/public/orders']) {
      const res = await app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('npm run build');
    }
    expect((await app.inject('/api/things')).statusCode).toBe(200);
  });
});

describe('buildApp serves the web app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([]);
  });
  afterAll(async () => t.close());

  it('answers / with the app or the build instructions, and keeps /api and /healthz', async () => {
    const res = await t.app.inject({ url: '/t/public/anything', headers: { accept: 'text/html' } });
    expect([200, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/id="root"|npm run build/);
    expect((await t.app.inject('/healthz')).json()).toMatchObject({ ok: true });
    const api = await t.app.inject('/api/nope');
    expect([401, 404]).toContain(api.statusCode); // anonymous access is off: the REST route answers, not the SPA
    expect(api.headers['content-type']).toMatch(/application\/json/);
  });
});
