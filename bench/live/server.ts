/**
 * The pglive side of the live benchmark, run as a child process (its own event
 * loop, as in production; the 1,000 clients and the writer live in the parent).
 * Builds the real app with the live engine (capture triggers, LISTEN, /live),
 * listens on a free loopback port and answers the parent over IPC:
 *
 *   { type: 'stats', id, reset?, state? } → engine counters, evaluation times, event-loop
 *       delay since the last reset (reset: start a new window), state sizes (state: true)
 *   { type: 'memory', id }  → process.memoryUsage() after two full GCs (--expose-gc)
 *
 * Evaluation counters and times are the engine's own; notifications and
 * wake-ups come from wrapping two engine methods on the instance (a benchmark
 * probe): relationChanged (one per change notification) and flush (one per
 * wake-up). SIGTERM closes the app.
 *
 * Env: BENCH_DB_URL, BENCH_JWT_SECRET, BENCH_POOL_SIZE (10), BENCH_COALESCE_MS (engine default).
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../../src/server/app.js';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { SchemaStore } from '../../src/server/catalog/store.js';
import { migrate } from '../../src/server/db/migrate.js';
import { createPool } from '../../src/server/db/pool.js';
import type { LiveEngine } from '../../src/server/live/engine.js';
import { benchConfig, POOL_SIZE } from '../rest/config.js';

export interface EngineStats {
  readonly views: number;
  readonly subscribers: number;
  readonly pending: number;
  /** change notifications received (relationChanged calls) */
  readonly notifications: number;
  /** flushes: one wake-up of the engine after a burst of changes */
  readonly wakeups: number;
  /** view evaluations (one SELECT each, in a read-only transaction as the view's role) */
  readonly evaluations: number;
  /** evaluations whose result differed from the previous one (they produced a patch) */
  readonly changedEvaluations: number;
  /** sum / max of evaluation times (ms), since the start */
  readonly evalMsTotal: number;
  readonly evalMsMax: number;
  /** evaluation batches running right now */
  readonly running: number;
  /** evaluation round trips (one per batch of views) */
  readonly batches: number;
  /** view wake-ups avoided because no row image could match the view */
  readonly skippedByImage: number;
  /** approximate bytes of engine state, all views: rows as JSON value arrays (+ keys), row hashes, patch log as JSON text */
  readonly stateBytes: { readonly rows: number; readonly hashes: number; readonly log: number; readonly logEntries: number } | null;
  /** event-loop delay since the last reset (ms) */
  readonly loopP50Ms: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
}

export type ChildRequest = { readonly type: 'stats' | 'memory'; readonly id: number; readonly reset?: boolean; readonly state?: boolean };
export type ChildMessage =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'reply'; readonly id: number; readonly data: unknown };

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (bench/live/server.ts is started by bench/live/run.ts)`);
  return v;
}

interface Probe {
  notifications: number;
  wakeups: number;
}

/** wraps two instance methods (the engine calls them through `this`, so the wrappers see every call) */
function probe(engine: LiveEngine): Probe {
  const p: Probe = { notifications: 0, wakeups: 0 };
  const e = engine as unknown as {
    relationChanged(...args: unknown[]): void;
    flush(): void;
  };
  const relationChanged = e.relationChanged.bind(engine);
  const flush = e.flush.bind(engine);
  e.relationChanged = (...args) => {
    p.notifications++;
    relationChanged(...(args as Parameters<LiveEngine['relationChanged']>));
  };
  e.flush = () => {
    p.wakeups++;
    flush();
  };
  return p;
}

function stateBytes(engine: LiveEngine): NonNullable<EngineStats['stateBytes']> {
  let rows = 0;
  let hashes = 0;
  let log = 0;
  let logEntries = 0;
  for (const v of engine.views.values()) {
    if (v.state) for (const [i, k] of v.state.keys.entries()) rows += k.length + v.state.values[i]!.length;
    if (v.state) hashes += v.state.hashes.byteLength;
    for (const e of v.log) log += e.ops.length;
    logEntries += v.log.length;
  }
  return { rows, hashes, log, logEntries };
}

async function main(): Promise<void> {
  const config = { ...benchConfig(required('BENCH_DB_URL'), required('BENCH_JWT_SECRET'), Number(process.env.BENCH_POOL_SIZE ?? POOL_SIZE)), liveTriggers: true };
  const coalesce = process.env.BENCH_COALESCE_MS;
  const sql = createPool(config.databaseUrl!, { max: config.poolSize, applicationName: 'pglive-bench-live' });
  await migrate(sql);
  const store = new SchemaStore(() => loadSchemaCache(sql, { schemas: config.schemas }));
  await store.reload();
  const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
  const live = {
    ...(coalesce ? { coalesceMs: Number(coalesce) } : {}),
    ...(env('BENCH_CONCURRENCY') ? { concurrency: env('BENCH_CONCURRENCY') } : {}),
    ...(env('BENCH_BATCH') ? { batchMax: env('BENCH_BATCH') } : {}),
  };
  const app = await buildApp({ config, sql, schema: store, live });
  const handle = app.pglive.live;
  if (!handle) throw new Error('the live engine did not start');
  if (handle.engine.mode !== 'live') throw new Error(`the live engine runs in ${handle.engine.mode} mode: change capture is not installed`);
  const p = probe(handle.engine);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  await app.listen({ port: 0, host: config.host });

  const send = (m: ChildMessage) => process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as ChildRequest;
    if (m.type === 'stats') {
      const s = handle.engine.stats();
      const data: EngineStats = {
        ...s,
        notifications: p.notifications,
        wakeups: p.wakeups,
        evaluations: handle.engine.evaluations,
        changedEvaluations: handle.engine.changedEvaluations,
        batches: handle.engine.batches,
        skippedByImage: handle.engine.skippedByImage,
        evalMsTotal: handle.engine.evalMsTotal,
        evalMsMax: handle.engine.evalMsMax,
        running: handle.engine.running,
        // serialises every view: only when asked, or the probe would steal the engine's CPU
        stateBytes: m.state ? stateBytes(handle.engine) : null,
        loopP50Ms: loop.percentile(50) / 1e6,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
      };
      if (m.reset) loop.reset();
      send({ type: 'reply', id: m.id, data });
    } else if (m.type === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      send({ type: 'reply', id: m.id, data: { ...process.memoryUsage(), gc: gc !== undefined } });
    }
  });
  send({ type: 'listening', port: (app.server.address() as AddressInfo).port });

  const stop = async () => {
    await app.close().catch(() => {});
    await sql.end({ timeout: 5 }).catch(() => {});
    process.exit(0); // a normal exit, so --cpu-prof writes its profile
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('disconnect', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench live server failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
