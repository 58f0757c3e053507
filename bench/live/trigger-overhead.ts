/**
 * npx tsx bench/live/trigger-overhead.ts — the write cost of change capture:
 * pgbench's TPC-B-like transaction (3 UPDATEs, 1 INSERT, 1 SELECT) with and
 * without pglive's statement-level triggers, on a fresh `pgbench -i` database.
 * A LISTEN connection consumes the notifications during every run, as the
 * server's listener would.
 *
 * A third run puts the same triggers on a function that only sends one fixed
 * NOTIFY per statement: the floor of any NOTIFY-based capture. PostgreSQL
 * serialises the commits of notifying transactions (a lock held from
 * PreCommit_Notify until the commit record is flushed), so that floor is
 * mostly commit serialisation, not pglive's function.
 *
 * Flags: --scale <n> (10) --clients <n> (8) --threads <n> (2) --seconds <s> (15)
 *        --rounds <n> (1; each round runs without, with, NOTIFY-only)
 * Database: BENCH_DATABASE_URL / TEST_DATABASE_URL (an admin login), else an
 * embedded PostgreSQL (see bench/rest/database.ts). Exits 0 without pgbench.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadSchemaCache } from '../../src/server/catalog/load.js';
import { createPool, type Sql } from '../../src/server/db/pool.js';
import { installCapture, removeCapture } from '../../src/server/live/capture/install.js';
import { CHANGES_CHANNEL } from '../../src/server/live/capture/sql.js';
import { createBenchDatabase } from '../rest/database.js';

const run = promisify(execFile);

const { values: flags } = parseArgs({
  options: {
    scale: { type: 'string', default: '10' },
    clients: { type: 'string', default: '8' },
    threads: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '15' },
    rounds: { type: 'string', default: '1' },
  },
});

function findPgbench(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const path = join(root, v, 'bin', 'pgbench');
    if (existsSync(path)) return path;
  }
  return null;
}

async function pgbench(bin: string, url: string, args: string[]): Promise<string> {
  const { stdout } = await run(bin, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function measure(bin: string, url: string, sql: Sql): Promise<number> {
  await sql`checkpoint`;
  const out = await pgbench(bin, url, ['-c', flags.clients, '-j', flags.threads, '-T', flags.seconds, '-n']);
  const m = /tps = ([0-9.]+) \(without initial connection time\)/.exec(out) ?? /tps = ([0-9.]+)/.exec(out);
  if (!m?.[1]) throw new Error(`no tps in pgbench output:\n${out}`);
  return Number(m[1]);
}

/** the same four triggers per table as pglive's, on a function that only notifies */
const NOTIFY_ONLY_SQL = `
create function pglive.bench_notify_only() returns trigger language plpgsql as $$
begin
  perform pg_notify('${CHANGES_CHANNEL}', '{"r":' || tg_relid::bigint || ',"o":"U","x":"' || txid_current() || '"}');
  return null;
end $$;
do $$
declare t record;
begin
  for t in select tgrelid::regclass as rel, tgname as name, pg_get_triggerdef(oid) as def
             from pg_trigger where tgname like 'pglive\\_capture\\_%' loop
    execute format('drop trigger %I on %s', t.name, t.rel);
    execute regexp_replace(t.def, 'pglive\\.capture\\(.*\\)$', 'pglive.bench_notify_only()');
  end loop;
end $$;`;

async function main(): Promise<void> {
  const load = loadavg()[0]!;
  const bin = findPgbench();
  if (!bin) {
    process.stdout.write('pgbench not found (PATH, /usr/lib/postgresql/*/bin): trigger overhead not measured\n');
    return;
  }
  // createBenchDatabase runs a setup file: pgbench -i does the real setup
  const dir = mkdtempSync(join(tmpdir(), 'pglive-trigger-bench-'));
  const setup = join(dir, 'setup.sql');
  writeFileSync(setup, 'select 1;\n');
  const db = await createBenchDatabase(setup);
  const sql = createPool(db.url, { max: 2, applicationName: 'pglive-bench' });
  const listener = createPool(db.url, { max: 1, applicationName: 'pglive-bench-listener' });
  let notifications = 0;
  try {
    process.stdout.write(`pgbench -i -s ${flags.scale} on ${db.source} (${db.name}) …\n`);
    await pgbench(bin, db.url, ['-i', '-s', flags.scale, '-q']);
    await listener.listen(CHANGES_CHANNEL, () => notifications++);
    process.stdout.write('warm-up (5 s, no triggers) …\n');
    await pgbench(bin, db.url, ['-c', flags.clients, '-j', flags.threads, '-T', '5', '-n']);

    const rows: { without: number; with: number; notifyOnly: number; notifications: number }[] = [];
    for (let round = 0; round < Number(flags.rounds); round++) {
      process.stdout.write(`round ${round + 1}: without triggers (${flags.seconds} s) …\n`);
      const without = await measure(bin, db.url, sql);
      const report = await installCapture(sql, await loadSchemaCache(sql, { schemas: ['public'] }));
      if (report.installed.length !== 4) throw new Error(`capture installed on ${report.installed.join(', ')}`);
      process.stdout.write(`round ${round + 1}: with triggers on ${report.installed.join(', ')} (${flags.seconds} s) …\n`);
      const before = notifications;
      const withTriggers = await measure(bin, db.url, sql);
      await new Promise((r) => setTimeout(r, 500)); // let the listener catch up
      const received = notifications - before;
      await sql.unsafe(NOTIFY_ONLY_SQL).simple();
      process.stdout.write(`round ${round + 1}: with NOTIFY-only triggers (${flags.seconds} s) …\n`);
      const notifyOnly = await measure(bin, db.url, sql);
      rows.push({ without, with: withTriggers, notifyOnly, notifications: received });
      await removeCapture(sql);
      await sql.unsafe('drop function pglive.bench_notify_only()');
    }

    const [version] = await sql.unsafe<{ v: string }[]>("select current_setting('server_version') as v");
    const lines = [
      '',
      `pgbench -c ${flags.clients} -j ${flags.threads} -T ${flags.seconds} -n, scale ${flags.scale}; PostgreSQL ${version?.v ?? '?'}; ` +
        `${availableParallelism()} × ${cpus()[0]?.model.trim() ?? '?'}; load average before ${load.toFixed(2)}`,
      '',
      '| round | TPS without | TPS with pglive | ratio (goal ≥ 0.90) | notifications / s | TPS NOTIFY-only | ratio |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map(
        (r, i) =>
          `| ${i + 1} | ${r.without.toFixed(0)} | ${r.with.toFixed(0)} | ${(r.with / r.without).toFixed(2)} | ` +
          `${(r.notifications / Number(flags.seconds)).toFixed(0)} | ${r.notifyOnly.toFixed(0)} | ${(r.notifyOnly / r.without).toFixed(2)} |`,
      ),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await listener.end({ timeout: 5 });
    await sql.end({ timeout: 5 });
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
