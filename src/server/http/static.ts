/**
 * The web app: dist/web (built by `vite build`) served at /. Any GET outside
 * the server's own prefixes that is not a file gets index.html, so deep links
 * such as /t/public/orders/42 work on reload (the SPA routes them). When the
 * app is not built, pages answer 503 with how to build it, never a bare 404.
 *
 * Hashed files under /assets/ are cached for a year; index.html never is, so
 * a new build is picked up on the next navigation.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

/** paths the SPA must never answer: their own routes (or their 404) do */
const SERVER_PREFIXES = ['/api', '/auth', '/meta', '/admin', '/live', '/healthz'];

/** repo/dist/web, from src/server/http (tsx) and from dist/server/http (built) alike */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../../dist/web', import.meta.url));
}

export interface StaticOptions {
  /** folder holding index.html and assets/ (default: dist/web) */
  readonly root?: string;
}

function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pglive: web app not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><h1>The pglive web app is not built</h1>
<p>The server is running and its API answers at <code>/api/</code>, but the folder with the web app
(<code>dist/web</code>) is missing.</p>
<p>Run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload this page.
For development with hot reload, run <code>npm run dev:web</code>.</p></body></html>`;

export function registerStatic(app: FastifyInstance, opts: StaticOptions = {}): void {
  const root = normalize(opts.root ?? defaultWebRoot());
  const index = join(root, 'index.html');

  app.register(async (scope) => {
    await scope.register(fastifyStatic, { serve: false });

    scope.get('/*', async (req: FastifyRequest, reply: FastifyReply) => {
      let path: string;
      try {
        path = decodeURIComponent(req.url.split('?')[0] ?? '/');
      } catch {
        return reply.callNotFound();
      }
      if (isServerPath(path)) return reply.callNotFound();
      const file = normalize(join(root, path));
      // sendFile also refuses traversal; checking here keeps a clean 404
      const inside = file === root || file.startsWith(root + sep);
      if (inside && path !== '/' && isFile(file)) {
        const hashed = path.startsWith('/assets/');
        return reply.sendFile(path.slice(1), root, hashed ? { immutable: true, maxAge: '365d' } : { maxAge: 0 });
      }
      // a missing script or image is a 404, not the app's HTML under a .js name
      if (extname(path) !== '' || path.startsWith('/assets/')) return reply.callNotFound();
      // deep links are for browsers (Accept: text/html); API clients get the JSON 404
      if (path !== '/' && !String(req.headers.accept ?? '').includes('text/html')) return reply.callNotFound();
      if (!existsSync(index)) return reply.code(503).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(NOT_BUILT);
      reply.header('Cache-Control', 'no-cache');
      return reply.sendFile('index.html', root, { maxAge: 0, cacheControl: false });
    });
  });
}
