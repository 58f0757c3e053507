/**
 * The real CLI as a child process: exit codes, one-line startup errors without
 * passwords, uninstall, and the embedded PostgreSQL's start/stop/restart.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../src/server/db/pool.js';
import { migrate } from '../src/server/db/migrate.js';
import { adminUrl, createTestDb, withDatabase, type TestDb } from './support/db.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'src/server/main.ts');

/** the parent's env without anything that would configure pglive behind the test's back */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|PORT|HOST|PGLIVE_)/.test(k)) env[k] = v;
  }
  return { ...env, PGLIVE_LOG_LEVEL: 'silent' };
}

function launch(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, env: cleanEnv(), stdio: 'pipe' });
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): { out: Outcome; done: Promise<Outcome> } {
  const out: Outcome = { code: null, stdout: '', stderr: '' };
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const done = new Promise<Outcome>((resolve) => {
    child.on('exit', (code) => {
      out.code = code;
      resolve(out);
    });
  });
  return { out, done };
}

async function run(args: string[]): Promise<Outcome> {
  return collect(launch(args)).done;
}

async function waitFor(out: Outcome, pattern: RegExp, child: ChildProcess, timeoutMs = 50_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = out.stdout.match(pattern);
    if (m) return m;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`no ${pattern} (exit ${child.exitCode}); stdout: ${out.stdout}; stderr: ${out.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** stderr without Node's own warnings (other modules may print deprecation warnings) */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('pglive: '));
}

describe('pglive CLI startup errors', () => {
  it('reports an unreachable server in one line, without the password', async () => {
    const port = await freePort();
    const r = await run(['--db', `postgres://someone:hunter2-secret@127.0.0.1:${port}/app`, '--port', '0']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `pglive: Cannot reach PostgreSQL at 127.0.0.1:${port} (ECONNREFUSED) — is it running? Check --db / DATABASE_URL.`,
    ]);
    expect(r.stderr + r.stdout).not.toContain('hunter2-secret');
  }, 60_000);

  it('tells how to create a missing database', async () => {
    const r = await run(['--db', withDatabase(adminUrl(), 'pglive_cli_missing_db'), '--port', '0']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      'pglive: Database pglive_cli_missing_db does not exist — create it with createdb pglive_cli_missing_db',
    ]);
  }, 60_000);

  it('exits 2 with the config message for a bad setting', async () => {
    const r = await run(['--port', 'eighty']);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)).toEqual(['pglive: --port "eighty": expected a port number from 0 to 65535']);
  }, 60_000);
});

describe('pglive CLI against a test database', () => {
  let db: TestDb;
  let blocker: Server | null = null;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    blocker?.close();
    await db.drop();
  });

  it('says when the HTTP port is in use', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)),
    );
    const r = await run(['--db', db.url, '--port', String(port), '--host', '127.0.0.1']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([`pglive: Port ${port} on 127.0.0.1 is in use — choose another with --port or PORT`]);
  }, 60_000);

  it('uninstall --yes removes schema pglive and pglive_* triggers, and nothing else', async () => {
    const sql = createPool(db.url, { max: 1 });
    try {
      await migrate(sql);
      await sql.unsafe(`
        create table if not exists public.cli_items (id int primary key);
        insert into public.cli_items values (1) on conflict do nothing;
        create or replace function public.cli_noop() returns trigger language plpgsql as 'begin return new; end';
        create trigger pglive_cli_change after insert on public.cli_items for each row execute function public.cli_noop();
        create trigger keep_me after insert on public.cli_items for each row execute function public.cli_noop();
        create or replace function public.cli_ddl() returns event_trigger language plpgsql as 'begin end';
        create event trigger pglive_cli_ddl on ddl_command_end execute function public.cli_ddl();`);
    } finally {
      await sql.end();
    }
    const r = await run(['uninstall', '--db', db.url, '--yes']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('trigger pglive_cli_change on public.cli_items');
    expect(r.stdout).toContain('event trigger pglive_cli_ddl');
    expect(r.stdout).toMatch(/schema pglive \(tables .*migrations.*users/);

    const schemas = await db.sql`select 1 from pg_namespace where nspname = 'pglive'`;
    expect(schemas).toHaveLength(0);
    const triggers = await db.sql`select tgname from pg_trigger where tgrelid = 'public.cli_items'::regclass order by 1`;
    expect(triggers.map((t) => t.tgname)).toEqual(['keep_me']);
    expect(await db.sql`select id from public.cli_items`).toEqual([{ id: 1 }]);
    expect(await db.sql`select 1 from pg_event_trigger where evtname like 'pglive%'`).toHaveLength(0);

    const again = await run(['uninstall', '--db', db.url, '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to remove');
  }, 60_000);

  it('tells a login role without CREATE on the database which GRANT to run', async () => {
    await db.sql.unsafe(`DO $$ BEGIN CREATE ROLE pglive_cli_nocreate LOGIN PASSWORD 'pglive-cli-pw';
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
    const url = new URL(db.url);
    url.username = 'pglive_cli_nocreate';
    url.password = 'pglive-cli-pw';
    const r = await run(['--db', url.toString(), '--port', '0']);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([
      `pglive: The login role pglive_cli_nocreate lacks CREATE on database ${db.name}: ` +
        `GRANT CREATE ON DATABASE ${db.name} TO pglive_cli_nocreate (or run \`pglive\` once as the owner)`,
    ]);
    expect(r.stderr).not.toContain('pglive-cli-pw');
  }, 60_000);

  it('uninstall refuses to run unconfirmed without a terminal', async () => {
    const r = await run(['uninstall', '--db', db.url]);
    expect(r.code).toBe(2);
    expect(errorLines(r.stderr)[0]).toContain('pass --yes to confirm');
  }, 60_000);
});

describe('pglive CLI with the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pglive-cli-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function startStop(): Promise<string> {
    const port = await freePort();
    const child = launch(['--data-dir', dataDir, '--no-demo', '--port', String(port)]);
    const { out, done } = collect(child);
    try {
      const [, url] = await waitFor(out, /listening on (http:\/\/\S+)/, child);
      expect(url).toBe(`http://127.0.0.1:${port}`);
      const res = await fetch(`${url}/auth/me`);
      expect(res.status).toBeGreaterThanOrEqual(200); // any HTTP answer proves the server is up
    } finally {
      child.kill('SIGTERM');
    }
    const r = await done;
    expect(r.code).toBe(0);
    return r.stdout;
  }

  it('initialises a cluster on first start and stops cleanly on SIGTERM', async () => {
    const stdout = await startStop();
    expect(stdout).toContain(`Data: embedded PostgreSQL in ${dataDir} (created now)`);
    expect(stdout).toMatch(/Admin login: admin@localhost \/ \S+/);
    expect(statSync(join(dataDir, 'credentials.json')).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('reuses the cluster on the second start', async () => {
    const stdout = await startStop();
    expect(stdout).toContain(`Data: embedded PostgreSQL in ${dataDir}\n`);
    expect(stdout).toMatch(/psql: postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/pglive/);
    expect(stdout).not.toContain('created now');
    expect(stdout).toContain('Admin login: admin@localhost (password set at first start)');
  }, 60_000);

  // after a crash in a container the pid in postmaster.pid often belongs to another process by then;
  // PostgreSQL refuses to start when that process runs as its own OS user, so pglive must clear it
  it.skipIf(process.getuid?.() !== 0)('clears a stale postmaster.pid whose pid is now another process', async () => {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    const impostor = spawn('sleep', ['60'], { uid, gid, stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'pg', 'postmaster.pid'), `${impostor.pid}\n${join(dataDir, 'pg')}\n0\n54329\n\n127.0.0.1\n`);
      await startStop();
    } finally {
      impostor.kill();
    }
  }, 60_000);
});
