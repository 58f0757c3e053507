/**
 * The naive baseline, as a child process: every committed write re-runs the
 * query of every subscriber (1,000 re-queries per change), with no sharing of
 * identical views and no coalescing. It uses pglive's own building blocks, so
 * only the strategy differs: the same capture triggers and LISTEN channel, the
 * same planned SQL (planView), the same read-only transaction as the
 * subscriber's role (evaluateView), a pool of the same size and as many
 * re-queries at once as the engine runs evaluations.
 *
 * It does not serialise or send anything to a socket: latency is measured when
 * a subscriber's re-query returns, which favours the baseline.
 *
 * One "change" is one writing transaction (notifications are deduplicated by
 * txid). Jobs are (change n, subscriber i) pairs taken in order from a counter,
 * so a backlog costs no memory. IPC:
 *   { type: 'window', id, from }  drop the backlog, count changes committed at ≥ from (epoch ms)
 *   { type: 'collect', id }       → NaiveResult for the window; then drops the backlog
 *
 * Env: BENCH_DB_URL, BENCH_POOL_SIZE (10), BENCH_CONCURRENCY (8), BENCH_JWT_SECRET.
 */
import { performance } from 'node:perf_hooks';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { createPool } from '../../src/server/db/pool.js';
import type { CallerPrincipal } from '../../src/server/http/rest.js';
import { CHANGES_CHANNEL } from '../../src/server/live/capture/sql.js';
import { decodeChange } from '../../src/server/live/capture/decode.js';
import { compileView, evaluateView, planView, type CompiledView, type ViewSpec } from '../../src/server/live/evaluate.js';
import { STATEMENT_TIMEOUT_MS, POOL_SIZE } from '../rest/config.js';
import { Samples, wallMs, type LatencySummary } from './samples.js';
import { buildSubscriptions, TABLE } from './workload.js';

export interface NaiveResult extends LatencySummary {
  /** distinct writing transactions notified during the window */
  readonly changes: number;
  /** re-queries completed during the window */
  readonly queries: number;
  readonly queriesPerSecond: number;
  /** changes whose 1,000 re-queries had not all started when the window closed */
  readonly backlog: number;
}

export type NaiveRequest = { readonly type: 'window'; readonly id: number; readonly from: number } | { readonly type: 'collect'; readonly id: number };

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (bench/live/naive.ts is started by bench/live/run.ts)`);
  return v;
}

interface NaiveSub {
  readonly spec: ViewSpec;
  readonly planned: CompiledView;
  readonly principal: CallerPrincipal;
  maxStamp: number;
}

async function main(): Promise<void> {
  const sql = createPool(required('BENCH_DB_URL'), { max: Number(process.env.BENCH_POOL_SIZE ?? POOL_SIZE), applicationName: 'pglive-bench-naive' });
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const cache = await loadSchemaCache(sql, { schemas: ['public'] });
  const subs: NaiveSub[] = (await buildSubscriptions(required('BENCH_JWT_SECRET'))).map((s) => {
    const spec: ViewSpec = { table: TABLE, schema: null, query: s.query, count: 'exact' };
    const principal: CallerPrincipal = { kind: 'jwt', role: s.principal.role, claims: s.claims, userId: null, isAdmin: false };
    return { spec, planned: compileView(planView(cache, spec, principal.role), spec, principal.role), principal, maxStamp: 0 };
  });

  const samples = new Samples();
  let windowFrom = Number.POSITIVE_INFINITY;
  let windowStartedAt = performance.now();
  let queries = 0;
  let changes = 0;
  // jobs: change n = floor(j / subs.length), subscriber j % subs.length
  let notified = 0;
  let next = 0;
  let lastTxid = '';

  const query = async (sub: NaiveSub) => {
    const ev = await evaluateView(sql, sub.planned, sub.spec, sub.principal, STATEMENT_TIMEOUT_MS);
    const now = wallMs();
    const prev = sub.maxStamp;
    for (const text of ev.texts) {
      const stamp = (JSON.parse(text) as { stamp: number }).stamp;
      if (stamp > prev) {
        if (stamp >= windowFrom) samples.add(now - stamp);
        if (stamp > sub.maxStamp) sub.maxStamp = stamp;
      }
    }
    queries++;
  };

  // the subscribe: every subscriber's first result
  for (let i = 0; i < subs.length; i += concurrency) await Promise.all(subs.slice(i, i + concurrency).map(query));

  // every idle worker waits for the next notification
  const wakers: (() => void)[] = [];
  await sql.listen(CHANGES_CHANNEL, (payload) => {
    const ev = decodeChange(payload);
    if (ev && ev.txid === lastTxid) return;
    lastTxid = ev?.txid ?? '';
    notified++;
    changes++;
    for (const w of wakers.splice(0)) w();
  });

  const loop = async () => {
    for (;;) {
      if (next >= notified * subs.length) {
        await new Promise<void>((r) => wakers.push(r));
        continue;
      }
      const sub = subs[next++ % subs.length]!;
      await query(sub).catch((e: unknown) => process.stderr.write(`naive re-query failed: ${(e as Error).message}\n`));
    }
  };
  for (let i = 0; i < concurrency; i++) void loop();

  const send = (m: unknown) => process.send?.(m);
  process.on('message', (raw) => {
    const m = raw as NaiveRequest;
    if (m.type === 'window') {
      // a backlog from the warm-up is not this window's work
      next = Math.max(next, notified * subs.length);
      windowFrom = m.from;
      windowStartedAt = performance.now();
      samples.clear();
      queries = 0;
      changes = 0;
      send({ type: 'reply', id: m.id, data: null });
    } else if (m.type === 'collect') {
      const elapsedS = (performance.now() - windowStartedAt) / 1000;
      const backlog = Math.max(0, notified - Math.ceil(next / subs.length));
      const result: NaiveResult = { ...samples.summary(), changes, queries, queriesPerSecond: queries / elapsedS, backlog };
      // drop the backlog: the next window starts from a clean slate
      next = Math.max(next, notified * subs.length);
      windowFrom = Number.POSITIVE_INFINITY;
      send({ type: 'reply', id: m.id, data: result });
    }
  });
  send({ type: 'listening', port: 0 });

  const stop = async () => {
    await sql.end({ timeout: 5 }).catch(() => {});
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('disconnect', () => void stop());
}

main().catch((e: unknown) => {
  process.stderr.write(`bench naive baseline failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
