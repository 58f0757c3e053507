/** What bench/web measures, each on its own: bundle size, time to first rows, frame times under live patches. */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type postgres from 'postgres';

export interface BundleSize {
  js: number;
  jsGzip: number;
  css: number;
  cssGzip: number;
  files: number;
}

/** the assets index.html loads up front (entry script, preloaded chunks, styles) */
export function firstLoadSize(webDir: string): BundleSize {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
  const out: BundleSize = { js: 0, jsGzip: 0, css: 0, cssGzip: 0, files: refs.length };
  for (const ref of refs) {
    const body = readFileSync(join(webDir, ref));
    const gz = gzipSync(body, { level: 9 }).length;
    if (ref.endsWith('.js')) {
      out.js += body.length;
      out.jsGzip += gz;
    } else if (ref.endsWith('.css')) {
      out.css += body.length;
      out.cssGzip += gz;
    }
  }
  return out;
}

const FIRST_ROW = '[data-testid=grid] .pg-row[data-key]';

/** full page load of the grid URL until its first data row is in the DOM */
export async function coldFirstRows(page: Page, url: string): Promise<number> {
  await page.goto('about:blank');
  const start = Date.now();
  await page.goto(url);
  await page.locator(FIRST_ROW).first().waitFor({ timeout: 30_000 });
  return Date.now() - start;
}

/** in-app navigation (sidebar click) from another page until the first data row */
export async function warmFirstRows(page: Page, baseUrl: string, navTestId: string): Promise<number> {
  await page.goto(`${baseUrl}/`);
  await page.getByTestId(navTestId).waitFor();
  const start = Date.now();
  await page.getByTestId(navTestId).click();
  await page.locator(FIRST_ROW).first().waitFor({ timeout: 30_000 });
  return Date.now() - start;
}

/** time to first rows after jumping to the middle of the table (a deep window: OFFSET 500,000) */
export async function deepJump(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const grid = document.querySelector<HTMLElement>('[data-testid=grid]')!;
    const start = performance.now();
    grid.scrollTop = grid.scrollHeight / 2;
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r));
      const rows = Array.from(grid.querySelectorAll('.pg-row[data-key]')).map((e) => JSON.parse(e.getAttribute('data-key')!)[0] as number);
      if (rows.some((id) => id > 400_000)) return performance.now() - start;
      if (performance.now() - start > 30_000) return NaN;
    }
  });
}

export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  longTasks: number;
  patches: number;
  updates: number;
  seconds: number;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * Scroll the grid up and down (in-page, every frame) for `seconds` while a
 * writer updates `rate` rows per second among those on screen; record the
 * time between animation frames and long tasks (Chromium performance API).
 */
export async function framesUnderPatches(page: Page, sql: postgres.Sql, opts: { seconds: number; rate: number }): Promise<FrameStats> {
  let patches = 0;
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    if (typeof f.payload === 'string' && f.payload.startsWith('{"type":"patch"')) patches++;
  }));
  // the socket is already open: count from a fresh page load
  await page.reload();
  await page.locator(FIRST_ROW).first().waitFor();
  patches = 0;

  const visible = async (): Promise<number[]> =>
    page.evaluate(() => Array.from(document.querySelectorAll('[data-testid=grid] .pg-row[data-key]')).map((e) => JSON.parse(e.getAttribute('data-key')!)[0] as number));
  let ids = await visible();
  let updates = 0;
  let inFlight = 0;
  let stop = false;
  const writer = (async () => {
    if (opts.rate <= 0) return;
    const interval = 1000 / opts.rate;
    let next = Date.now();
    let refreshed = Date.now();
    while (!stop) {
      if (Date.now() - refreshed > 250) {
        ids = await visible();
        refreshed = Date.now();
      }
      const id = ids[Math.floor(Math.random() * ids.length)];
      // not awaited: a slow commit must not lower the rate (the pool pipelines them)
      if (id !== undefined && inFlight < 32) {
        inFlight++;
        updates++;
        next += interval;
        void sql`update bench_big set qty = qty + 1, price = price + 0.01 where id = ${id}`.finally(() => inFlight--);
      }
      // always yield, so commits complete while the schedule catches up
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
  })();

  const measured = await page.evaluate(async (seconds) => {
    const grid = document.querySelector<HTMLElement>('[data-testid=grid]')!;
    let longTasks = 0;
    const obs = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
    obs.observe({ type: 'longtask', buffered: false });
    const deltas: number[] = [];
    const end = performance.now() + seconds * 1000;
    let last = performance.now();
    let dir = 1;
    // a steady reading scroll: 2 px per frame, turning at the ends of a 3,000-row stretch
    while (performance.now() < end) {
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      deltas.push(t - last);
      last = t;
      grid.scrollTop += 2 * dir;
      if (grid.scrollTop > 34 * 3000) dir = -1;
      if (grid.scrollTop <= 0) dir = 1;
    }
    obs.disconnect();
    return { deltas, longTasks };
  }, opts.seconds);
  stop = true;
  await writer;
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  const sorted = measured.deltas.slice(1).sort((a, b) => a - b);
  return {
    frames: sorted.length,
    p50: pct(sorted, 50),
    p95: pct(sorted, 95),
    p99: pct(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    longTasks: measured.longTasks,
    patches,
    updates,
    seconds: opts.seconds,
  };
}

/**
 * The environment's floor: the same scrolling over a static HTML grid of
 * similar rows (no app, no React, no live data). Headless software rendering
 * on a shared machine misses frames on its own; this says by how much.
 */
export async function staticControl(page: Page, seconds: number): Promise<{ p50: number; p95: number; p99: number }> {
  const cell = (i: number, j: number) => `<div style="width:150px;padding:0 10px;border-right:1px solid #eee;display:flex;align-items:center;overflow:hidden;white-space:nowrap;font:14px sans-serif">Item ${i} · ${j}</div>`;
  const row = (i: number) => `<div style="position:absolute;top:${i * 34}px;display:flex;height:34px;border-bottom:1px solid #ddd">${Array.from({ length: 7 }, (_, j) => cell(i, j)).join('')}</div>`;
  await page.setContent(`<div id=g style="height:764px;overflow:auto;position:relative"><div style="position:sticky;top:0;height:36px;background:#f8f9fa;z-index:2">header</div><div style="height:3000000px;position:relative">${Array.from({ length: 3000 }, (_, i) => row(i)).join('')}</div></div>`);
  const deltas = await page.evaluate(async (secs) => {
    const grid = document.getElementById('g')!;
    const out: number[] = [];
    let last = performance.now();
    const end = last + secs * 1000;
    while (performance.now() < end) {
      await new Promise((r) => requestAnimationFrame(r));
      const t = performance.now();
      out.push(t - last);
      last = t;
      grid.scrollTop += 2;
    }
    return out;
  }, seconds);
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p95: pct(sorted, 95), p99: pct(sorted, 99) };
}
