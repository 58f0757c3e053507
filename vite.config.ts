/**
 * The web app (src/web) → static assets in dist/web, served by pglive at /.
 *
 * Shared code (src/protocol, src/client) is imported with relative paths, so
 * the same imports work for vite, tsc (src/web/tsconfig.json) and vitest
 * (which uses vitest.config.ts, not this file).
 *
 * `npm run dev:web` starts the dev server with hot reload; it proxies the API,
 * auth, meta and the live websocket to a running pglive (PGLIVE_URL, default
 * http://127.0.0.1:3000). The proxy rewrites Origin so cookie-authenticated
 * writes pass pglive's same-origin check.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const target = process.env.PGLIVE_URL ?? 'http://127.0.0.1:3000';
const proxied = { target, changeOrigin: true, headers: { origin: target } };

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': proxied,
      '/auth': proxied,
      '/meta': proxied,
      '/admin': proxied,
      '/healthz': proxied,
      '/live': { ...proxied, ws: true },
    },
  },
});
