/**
 * npm run bench:rest — pglive's REST API against the same SQL through the raw
 * driver, in one run on one machine (the ratio is the headline).
 *
 *   pglive            HTTP keep-alive → the real app in a child process (JWT auth,
 *                     parse → plan → sql → run as the role → respond)
 *   raw (same SQL+tx) in this process: the statements pglive issues for the same
 *                     request, through the same transaction runner (db/tx.ts:
 *                     runAsRole for plain reads, withRole otherwise) on a pool
 *                     of the same size
 *   raw (statement)   the bare statement on the pool: no transaction, no role
 *
 * Flags: --warmup <s> (2, per target) --seconds <s> (5, measured per target)
 *        --rounds <n> (5 interleaved slices) --only <scenario,…> --clients <1,10>
 *        --no-write (don't update BENCHMARKS.md) --cpu-prof <dir> (profile the server)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeJwt, SignJWT } from 'jose';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { createPool, type Sql } from '../../src/server/db/pool.js';
import { runAsRole, withRole } from '../../src/server/db/tx.js';
import { POOL_SIZE } from './config.js';
import { createBenchDatabase } from './database.js';
import { cpuSince, cpuSnapshot } from './cpu.js';
import { HttpClient, runClosedLoop, summarize, type Job, type Samples } from './load.js';
import { resultsSection, resultTables, writeBenchmarks, type Cell, type Target, type TargetResult } from './report.js';
import { BENCH_ROLE, buildVariants, SCENARIOS, type Variant } from './scenarios.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

const log = (line: string) => process.stderr.write(line + '\n');
// progress piped into `head` must not kill the run before it drops its database
process.stderr.on('error', () => {});
process.stdout.on('error', () => {});

const { values: flags } = parseArgs({
  options: {
    warmup: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    clients: { type: 'string', default: '1,10' },
    'no-write': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});

/** the child prints `LISTENING <port>` once the app listens */
async function startServer(dbUrl: string, profileDir: string | undefined): Promise<{ child: ChildProcess; port: number }> {
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', join(here, 'server.ts')];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, BENCH_DB_URL: dbUrl, BENCH_JWT_SECRET: JWT_SECRET, BENCH_POOL_SIZE: String(POOL_SIZE) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('the bench server did not start within 60 s')), 60_000);
    child.once('exit', (code) => rej(new Error(`the bench server exited with code ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume(); // pino lines when BENCH_LOG_LEVEL is set
        res(Number(m[1]));
      }
    });
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((res) => child.once('exit', res));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((res) => setTimeout(res, 10_000))]);
}

function jobs(variants: readonly Variant[], client: HttpClient, sql: Sql): Record<Target, Job> {
  const pick = (seq: number) => variants[seq % variants.length]!;
  return {
    pglive: async (seq) => {
      await client.request(pick(seq).http);
    },
    rawTx: async (seq) => {
      await sameTransaction(sql, pick(seq));
    },
    rawStmt: async (seq) => {
      for (const s of pick(seq).statements) await sql.unsafe(s.text, s.values as never[]);
    },
  };
}

/** the statements in the transaction shape pglive uses for them; the rows of the first */
async function sameTransaction(sql: Sql, v: Variant): Promise<unknown[]> {
  if (v.runner === 'runAsRole') {
    const [rows] = await runAsRole(sql, v.ctx, v.statements, { readOnly: v.readOnly });
    return rows ?? [];
  }
  return withRole(sql, v.ctx, async (tx) => {
    let first: unknown[] | null = null;
    for (const s of v.statements) {
      const rows = (await tx.unsafe(s.text, s.values as never[])) as unknown as unknown[];
      first ??= rows;
    }
    return first ?? [];
  }, { readOnly: v.readOnly });
}

/** pglive's answer must be the raw statement's answer, or the comparison means nothing */
async function checkSameResult(variants: readonly Variant[], client: HttpClient, sql: Sql): Promise<void> {
  const v = variants[0]!;
  const res = await client.request(v.http, true);
  if (res.status >= 300) throw new Error(`${v.http.method} ${v.http.path} → HTTP ${res.status}: ${res.body}`);
  if (v.http.method !== 'GET') return;
  const rows = (await sameTransaction(sql, v)) as { body: string }[];
  const raw = JSON.parse(rows[0]!.body) as unknown[];
  const expected = v.http.headers.accept === 'application/vnd.pgrst.object+json' ? raw[0] : raw;
  if (JSON.stringify(JSON.parse(res.body)) !== JSON.stringify(expected)) {
    throw new Error(`pglive and the raw statement disagree on ${v.http.path}:\n${res.body.slice(0, 300)}\n${rows[0]!.body.slice(0, 300)}`);
  }
}

const TARGETS = ['pglive', 'rawTx', 'rawStmt'] as const;
/** pause between turns, not measured: lets the previous target's in-flight work drain */
const SETTLE_MS = 100;

/**
 * Each target warms up on its own, then the targets take turns: `rounds`
 * slices each, interleaved, merged per target. Background load on a shared
 * machine then hits all targets alike instead of whichever ran during a spike.
 */
async function measureCell(run: Record<Target, Job>, concurrency: number, warmupS: number, durationS: number, rounds: number, childPid: number | undefined): Promise<Record<Target, TargetResult>> {
  const samples: Record<Target, Samples[]> = { pglive: [], rawTx: [], rawStmt: [] };
  const cpu: Record<Target, { self: number; child: number; jobs: number }> = {
    pglive: { self: 0, child: 0, jobs: 0 }, rawTx: { self: 0, child: 0, jobs: 0 }, rawStmt: { self: 0, child: 0, jobs: 0 },
  };
  for (const target of TARGETS) await runClosedLoop(run[target], { concurrency, warmupMs: 0, durationMs: warmupS * 1000 });
  const slice = { concurrency, warmupMs: SETTLE_MS, durationMs: (durationS * 1000) / rounds };
  for (let r = 0; r < rounds; r++) {
    // rotate who goes first, so no target always follows the same neighbour
    for (let k = 0; k < TARGETS.length; k++) {
      const target = TARGETS[(r + k) % TARGETS.length]!;
      const before = cpuSnapshot(childPid);
      const s = await runClosedLoop(run[target], slice);
      const used = cpuSince(before, childPid);
      samples[target].push(s);
      cpu[target].self += used.self;
      cpu[target].child += used.child;
      cpu[target].jobs += s.completed;
    }
  }
  const result = (t: Target): TargetResult => ({
    ...summarize(samples[t]),
    clientCpuUs: cpu[t].self / cpu[t].jobs,
    serverCpuUs: t === 'pglive' ? cpu[t].child / cpu[t].jobs : Number.NaN,
  });
  return { pglive: result('pglive'), rawTx: result('rawTx'), rawStmt: result('rawStmt') };
}

function line(name: string, n: number, target: string, r: TargetResult): string {
  const err = r.errors > 0 ? `  ${r.errors} errors: ${r.firstError}` : '';
  return `  ${name.padEnd(9)} ×${String(n).padEnd(3)} ${target.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(2).padStart(6)} ms  p99 ${r.p99Ms.toFixed(2).padStart(6)} ms  CPU/req ${r.clientCpuUs.toFixed(0)} µs here${Number.isNaN(r.serverCpuUs) ? '' : `, ${r.serverCpuUs.toFixed(0)} µs server`}${err}`;
}

async function main(): Promise<void> {
  const warmupS = Number(flags.warmup);
  const durationS = Number(flags.seconds);
  const rounds = Math.max(1, Number(flags.rounds));
  const clients = flags.clients.split(',').map(Number);
  const only = flags.only ? new Set(flags.only.split(',')) : null;
  const scenarios = SCENARIOS.filter((s) => only === null || only.has(s.key));
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(', ');
  const startLoad = loadavg()[0]!;
  const peakLoad = { value: startLoad };
  log(`load average ${loadBefore} on ${availableParallelism()} CPUs`);
  if (startLoad > availableParallelism() / 2) log('the machine is busy: results will be noisy (check uptime, rerun when quiet)');

  const db = await createBenchDatabase(join(here, 'setup.sql'));
  log(`bench database ${db.name} (${db.source})`);
  let child: ChildProcess | null = null;
  let sql: Sql | null = null;
  const clientsToClose: HttpClient[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const c of clientsToClose) c.close();
      if (child) await stopServer(child);
      if (sql) await sql.end({ timeout: 5 }).catch(() => {});
      await db.dispose();
    })());
  // Ctrl-C must not leave the database (or an embedded cluster) behind
  process.once('SIGINT', () => {
    log('interrupted: dropping the bench database');
    void cleanup().finally(() => process.exit(130));
  });
  try {
    const server = await startServer(db.url, flags['cpu-prof']);
    child = server.child;
    sql = createPool(db.url, { max: POOL_SIZE, applicationName: 'pglive-bench-raw' });
    const [{ server_version: postgresVersion }] = (await sql.unsafe('show server_version')) as unknown as [{ server_version: string }];
    const cache = await loadSchemaCache(sql, { schemas: ['public'] });
    const jwt = await new SignJWT({ role: BENCH_ROLE }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h')
      .sign(new TextEncoder().encode(JWT_SECRET));
    const claims = decodeJwt(jwt) as Record<string, unknown>;

    const cells: Cell[] = [];
    for (const [i, scenario] of scenarios.entries()) {
      const variants = buildVariants(scenario, cache, jwt, claims, 1000 + i);
      for (const n of clients) {
        const client = new HttpClient(server.port, n);
        clientsToClose.push(client);
        await checkSameResult(variants, client, sql);
        const run = jobs(variants, client, sql);
        const results = await measureCell(run, n, warmupS, durationS, rounds, child.pid);
        for (const target of TARGETS) log(line(scenario.key, n, target, results[target]));
        peakLoad.value = Math.max(peakLoad.value, loadavg()[0]!);
        client.close();
        cells.push({ scenario: scenario.key, concurrency: n, results });
      }
    }

    console.log('\n' + resultTables(cells) + '\n');
    if (!flags['no-write']) {
      const argv = process.argv.slice(2).join(' ');
      const section = resultsSection(cells, {
        date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
        command: `${db.source === 'embedded' ? '' : `${db.source}=postgres://… `}npm run bench:rest${argv ? ' -- ' + argv : ''}`,
        nproc: availableParallelism(),
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
        node: process.version,
        postgres: postgresVersion,
        database: db.source === 'embedded' ? 'embedded' : 'local server',
        loadBefore,
        loadAfter: loadavg().map((l) => l.toFixed(2)).join(', '),
        kernel: `${osType()} ${release()}`,
        // busy before we start, or far more runnable work than the bench's own (client, server, backends)
        busyWarning: startLoad > availableParallelism() / 2 || peakLoad.value > 2 * availableParallelism()
          ? `the machine was busy (1-minute load average ${startLoad.toFixed(1)} at the start, up to ${peakLoad.value.toFixed(1)} during the run, on ${availableParallelism()} CPUs): other processes competed for the CPUs, so treat these numbers as rough and rerun on a quiet machine`
          : null,
        warmupS,
        durationS,
        rounds,
      });
      writeBenchmarks(join(root, 'BENCHMARKS.md'), section);
      log('BENCHMARKS.md updated');
    }
  } finally {
    await cleanup();
  }
}

main().catch((e: unknown) => {
  log(`bench:rest failed: ${(e as Error).stack ?? String(e)}`);
  process.exitCode = 1;
});
