/**
 * npm run bench:live — the live engine under load, on one machine:
 *
 *   1. pglive (the real app with the live engine) in a child process; 1,000
 *      websocket clients in this process holding 100 distinct live views
 *      (workload.ts); a writer on its own SQL connection (writer.ts).
 *   2. Commit → client-receive latency at 500 row changes/s, then rate steps
 *      to find the highest rate whose p99 stays ≤ 100 ms.
 *   3. Memory per live view (child heap after GC, before / after subscribing
 *      and after the load) and SQL evaluations per wake-up (engine counters).
 *   4. The naive baseline (naive.ts, a child too): every change re-queries
 *      every subscriber.
 *   5. Trigger overhead: bench/live/trigger-overhead.ts (pgbench), when present.
 *
 * Flags: --rate <n> (500) --seconds <s> (20, headline) --rates <list> (50,100,250,500,1000,2000)
 *        --step-seconds <s> (8) --naive-rates <list> (1,3,10,500) --no-naive
 *        --no-triggers --trigger-seconds <s> (10) --coalesce-ms <n> (engine default)
 *        --no-write (don't update BENCHMARKS.md) --cpu-prof <dir> (profile the pglive child)
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createBenchDatabase, type BenchDatabase } from '../rest/database.js';
import { startChild, type ChildHandle } from './child.js';
import { LiveClients } from './clients.js';
import { isolatedChanges, liveStep, naiveStep, type NaiveStep, type StepResult } from './measure.js';
import { resultsSection, resultTables, writeBenchmarks, type MemoryPoint } from './report.js';
import type { EngineStats } from './server.js';
import { buildSubscriptions, KINDS, PRINCIPALS } from './workload.js';
import { Writer } from './writer.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';
const POOL_SIZE = 10;

const log = (line: string) => process.stderr.write(line + '\n');
process.stderr.on('error', () => {});
process.stdout.on('error', () => {});

const { values: flags } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    rates: { type: 'string', default: '50,100,250,500,1000,2000' },
    'step-seconds': { type: 'string', default: '8' },
    'naive-rates': { type: 'string', default: '1,3,10,500' },
    'no-naive': { type: 'boolean', default: false },
    'no-triggers': { type: 'boolean', default: false },
    'trigger-seconds': { type: 'string', default: '10' },
    'coalesce-ms': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const list = (s: string) => s.split(',').filter(Boolean).map(Number);

function stepLine(s: StepResult): string {
  const l = s.latency;
  return `  ${String(s.targetRate).padStart(5)}/s (got ${s.write.rowsPerSecond.toFixed(0).padStart(5)})  p50 ${l.p50.toFixed(1).padStart(6)}  p95 ${l.p95.toFixed(1).padStart(6)}  p99 ${l.p99.toFixed(1).padStart(6)}  max ${l.max.toFixed(0).padStart(5)} ms  ` +
    `n=${l.count}  wake-ups ${s.wakeups}  evals ${s.evaluations} (${s.changedEvaluations} changed, ${s.evalMsMean.toFixed(2)} ms each)  ` +
    `pglive ${s.serverCores.toFixed(2)} cores, PostgreSQL ${s.postgresCores.toFixed(2)}, clients ${s.clientCores.toFixed(2)}, machine ${(s.machineBusy * 100).toFixed(0)} %` +
    (s.clientErrors > 0 ? `  ${s.clientErrors} errors` : '');
}

function naiveLine(n: NaiveStep): string {
  return `  ${String(n.targetRate).padStart(5)}/s (got ${n.write.rowsPerSecond.toFixed(0).padStart(4)})  ${n.changes} changes  ${n.queriesPerSecond.toFixed(0)} re-queries/s  ` +
    `p50 ${n.p50.toFixed(1)}  p99 ${n.p99.toFixed(1)} ms  n=${n.count}  backlog ${n.backlog}`;
}

async function memory(server: ChildHandle, label: string): Promise<MemoryPoint> {
  const m = await server.request<NodeJS.MemoryUsage & { gc: boolean }>({ type: 'memory' });
  if (!m.gc) log('  (no --expose-gc in the child: memory numbers include garbage)');
  log(`  memory, ${label}: heap ${(m.heapUsed / 1048576).toFixed(1)} MB, rss ${(m.rss / 1048576).toFixed(1)} MB`);
  return { label, heapUsed: m.heapUsed, rss: m.rss, external: m.external };
}

async function triggerOverhead(seconds: string): Promise<string> {
  const script = join(here, 'trigger-overhead.ts');
  if (!existsSync(script)) return '(bench/live/trigger-overhead.ts is not there: not measured)';
  log(`trigger overhead: ${script} --seconds ${seconds}`);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--seconds', seconds], {
      cwd: root, env: process.env, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000,
    });
    // its progress lines end with '…'; the rest is the result
    const result = stdout.split('\n').filter((l) => !l.trimEnd().endsWith('…')).join('\n').trim();
    log(result);
    return `\`npx tsx bench/live/trigger-overhead.ts --seconds ${seconds}\`\n\n${result}`;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    log(`trigger overhead failed: ${msg}`);
    return `(trigger-overhead.ts failed: ${msg})`;
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(', ');
  log(`load average ${loadBefore} on ${availableParallelism()} CPUs`);
  const db: BenchDatabase = await createBenchDatabase(join(here, 'setup.sql'));
  log(`bench database ${db.name} (${db.source})`);
  const env = { BENCH_DB_URL: db.url, BENCH_JWT_SECRET: JWT_SECRET, BENCH_POOL_SIZE: String(POOL_SIZE), ...(flags['coalesce-ms'] ? { BENCH_COALESCE_MS: flags['coalesce-ms'] } : {}) };
  let server: ChildHandle | null = null;
  let naive: ChildHandle | null = null;
  let clients: LiveClients | null = null;
  const writer = new Writer(db.url);
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await clients?.close().catch(() => {});
      await server?.stop();
      await naive?.stop();
      await writer.close().catch(() => {});
      await db.dispose();
    })());
  process.once('SIGINT', () => {
    log('interrupted: dropping the bench database');
    void cleanup().finally(() => process.exit(130));
  });
  try {
    await writer.init();
    const postgres = await writer.serverVersion();
    const clockOffsetMs = await writer.clockOffsetMs();
    log(`PostgreSQL ${postgres}; clock offset ${clockOffsetMs.toFixed(2)} ms`);

    server = await startChild(join(here, 'server.ts'), { cwd: root, env, profileDir: flags['cpu-prof'] });
    log(`pglive child on port ${server.port}`);
    const memoryPoints: MemoryPoint[] = [await memory(server, 'no clients')];

    const subs = await buildSubscriptions(JWT_SECRET);
    clients = new LiveClients(`ws://127.0.0.1:${server.port}/live`);
    await clients.connect(subs);
    log(`${clients.size} sockets ready`);
    memoryPoints.push(await memory(server, '1,000 sockets, no views'));
    // in two halves: the second half's cost is the marginal cost of a view, without the code
    // compiled once for the first views (V8 bytecode, feedback vectors, shapes)
    const half = Math.floor(PRINCIPALS.length * KINDS / 2);
    const t0 = performance.now();
    await clients.subscribe((view) => view < half);
    const subscribeMs1 = performance.now() - t0;
    memoryPoints.push(await memory(server, `${half} views subscribed`));
    const t1 = performance.now();
    await clients.subscribe((view) => view >= half);
    const subscribeMs = subscribeMs1 + performance.now() - t1;
    const s0 = await server.request<EngineStats>({ type: 'stats' });
    log(`${s0.subscribers} subscriptions on ${s0.views} shared views in ${subscribeMs.toFixed(0)} ms (${s0.evaluations} evaluations)`);
    memoryPoints.push(await memory(server, '100 views subscribed'));

    const deps = { server, clients, writer };
    const isolated = await isolatedChanges(deps, 20);
    log(`unloaded: ${isolated.changes} single-row updates → ${isolated.wakeups} wake-ups, ${isolated.evaluations} evaluations (${isolated.changedEvaluations} changed); ` +
      `p50 ${isolated.latency.p50.toFixed(1)} ms, p99 ${isolated.latency.p99.toFixed(1)} ms`);
    const stepS = Number(flags['step-seconds']);
    log(`headline: ${flags.rate} row changes/s for ${flags.seconds} s (3 s warm-up)`);
    const headline = await liveStep(deps, Number(flags.rate), 3, Number(flags.seconds));
    log(stepLine(headline));
    const steps: StepResult[] = [];
    for (const rate of list(flags.rates)) {
      const s = await liveStep(deps, rate, 2, stepS);
      log(stepLine(s));
      steps.push(s);
    }
    memoryPoints.push(await memory(server, '100 views, after the load'));
    const { stateBytes } = await server.request<EngineStats>({ type: 'stats', state: true });
    await clients.close();
    clients = null;
    await server.stop();
    server = null;

    const naiveSteps: NaiveStep[] = [];
    if (!flags['no-naive']) {
      log('naive baseline: every change re-queries every subscriber');
      naive = await startChild(join(here, 'naive.ts'), { cwd: root, env });
      for (const rate of list(flags['naive-rates'])) {
        const n = await naiveStep(naive, writer, rate, 1, stepS, 2);
        log(naiveLine(n));
        naiveSteps.push(n);
      }
      await naive.stop();
      naive = null;
    }

    const triggers = flags['no-triggers'] ? '(not measured in this run: --no-triggers)' : await triggerOverhead(flags['trigger-seconds']);

    const argv = process.argv.slice(2).join(' ');
    const report = {
      facts: {
        date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        command: `${db.source === 'embedded' ? '' : `${db.source}=postgres://… `}npm run bench:live${argv ? ' -- ' + argv : ''}`,
        nproc: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
        kernel: `${osType()} ${release()}`,
        node: process.version,
        postgres,
        database: db.source === 'embedded' ? 'embedded' : 'local server',
        loadBefore,
        loadAfter: loadavg().map((l) => l.toFixed(2)).join(', '),
        clockOffsetMs,
        clients: subs.length,
        views: PRINCIPALS.length * KINDS,
        subscribeMs,
      },
      isolated,
      headline,
      steps,
      memory: memoryPoints,
      stateBytes: stateBytes!,
      naive: naiveSteps,
      triggers,
    };
    process.stdout.write('\n' + resultTables(report) + '\n');
    if (!flags['no-write']) {
      writeBenchmarks(join(root, 'BENCHMARKS.md'), resultsSection(report));
      log('BENCHMARKS.md updated');
    }
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  log(`bench:live failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
