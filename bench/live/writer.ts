/**
 * The writer: one separate SQL connection committing row changes at a target
 * rate, as any application writing to the database would (pglive is not in
 * its path). Transactions of 1–5 rows, one statement each: 80 % updates of
 * random rows, 10 % inserts, 10 % deletes (of rows; the table keeps its size).
 * Every written row gets `stamp` = clock_timestamp() in epoch ms and
 * `updated_at` = the same instant, so it lands on top of its kind's page.
 *
 * Statements are pipelined on the one connection and run one after the other
 * there, so stamps grow in commit order (the clients rely on that). Pacing is
 * open-loop: when statements are slow the writer catches up instead of
 * lowering the rate, and reports the rate it actually achieved.
 */
import { performance } from 'node:perf_hooks';
import { createPool, type Sql } from '../../src/server/db/pool.js';
import { KINDS, kindName } from './workload.js';
import { mulberry32 } from '../../test/support/rng.js';

export interface WriteResult {
  readonly rows: number;
  readonly transactions: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  /** how far behind schedule the writer fell, at worst (ms) */
  readonly maxLagMs: number;
}

const STAMP = 'extract(epoch from c.t) * 1000';
/** statements pipelined on the writer's connection */
const MAX_IN_FLIGHT = 8;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Writer {
  private readonly sql: Sql;
  private ids: number[] = [];
  /** id → index in ids, for O(1) removal */
  private readonly at = new Map<number, number>();
  private readonly rand = mulberry32(42);

  constructor(url: string) {
    this.sql = createPool(url, { max: 1, applicationName: 'pglive-bench-writer' });
  }

  async init(): Promise<void> {
    const rows = (await this.sql.unsafe('select id from bench_events')) as unknown as { id: number }[];
    for (const r of rows) this.add(r.id);
  }

  private add(id: number): void {
    this.at.set(id, this.ids.length);
    this.ids.push(id);
  }

  private pickIds(n: number): number[] {
    const out = new Set<number>();
    while (out.size < n) out.add(this.ids[Math.floor(this.rand() * this.ids.length)]!);
    return [...out];
  }

  /** swap-remove: the order of ids does not matter */
  private removeIds(gone: readonly number[]): void {
    for (const id of gone) {
      const i = this.at.get(id);
      if (i === undefined) continue;
      const last = this.ids.pop()!;
      this.at.delete(id);
      if (last !== id) {
        this.ids[i] = last;
        this.at.set(last, i);
      }
    }
  }

  /** one transaction of n rows (one statement, so one round trip) */
  private async transaction(n: number): Promise<void> {
    const dice = this.rand();
    const amount = () => Math.round(this.rand() * 100_000) / 100;
    if (dice < 0.8) {
      const ids = this.pickIds(n);
      await this.update(ids);
      return;
    }
    if (dice < 0.9) {
      const kinds = Array.from({ length: n }, () => kindName(Math.floor(this.rand() * KINDS)));
      const rows = (await this.sql.unsafe(
        `insert into bench_events (kind, tenant, amount, stamp, updated_at, note)
         select x.k, x.t, x.a, ${STAMP}, c.t, 'new'
           from unnest($1::text[], $2::int[], $3::numeric[]) as x(k, t, a), (select clock_timestamp() as t) as c
         returning id`,
        [kinds, kinds.map(() => (this.rand() < 0.5 ? 0 : 1)), kinds.map(amount)] as never[],
      )) as unknown as { id: number }[];
      for (const r of rows) this.add(r.id);
      return;
    }
    // removed before the statement runs, so a pipelined update does not pick them
    const ids = this.pickIds(n);
    this.removeIds(ids);
    await this.sql.unsafe('delete from bench_events where id = any($1::int[])', [ids] as never[]);
  }

  /** one transaction updating `n` random rows (the unloaded probe) */
  async updateOnce(n: number): Promise<void> {
    await this.update(this.pickIds(n));
  }

  private async update(ids: readonly number[]): Promise<void> {
    const amount = () => Math.round(this.rand() * 100_000) / 100;
    await this.sql.unsafe(
      `update bench_events e set amount = x.a, stamp = ${STAMP}, updated_at = c.t
         from unnest($1::int[], $2::numeric[]) as x(id, a), (select clock_timestamp() as t) as c
        where e.id = x.id`,
      [ids, ids.map(amount)] as never[],
    );
  }

  /**
   * Writes `rate` rows per second for `seconds`. Up to MAX_IN_FLIGHT statements
   * are pipelined on the one connection: the backend still runs them one after
   * the other, so commit order (and stamp order) is send order.
   */
  async run(rate: number, seconds: number): Promise<WriteResult> {
    const start = performance.now();
    const end = start + seconds * 1000;
    const inFlight = new Set<Promise<void>>();
    let rows = 0;
    let transactions = 0;
    let maxLagMs = 0;
    let failure: Error | null = null;
    for (;;) {
      if (failure) break;
      const due = start + (rows / rate) * 1000;
      if (due >= end) break;
      const now = performance.now();
      if (due > now) await sleep(due - now);
      else maxLagMs = Math.max(maxLagMs, now - due);
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      const n = 1 + Math.floor(this.rand() * 5);
      const tx: Promise<void> = this.transaction(n)
        .catch((e: unknown) => void (failure ??= e as Error))
        .finally(() => inFlight.delete(tx));
      inFlight.add(tx);
      rows += n;
      transactions++;
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    const elapsed = (performance.now() - start) / 1000;
    return { rows, transactions, seconds: elapsed, rowsPerSecond: rows / elapsed, maxLagMs };
  }

  /** PostgreSQL backends connected to the bench database (for their CPU time) */
  async backendPids(): Promise<number[]> {
    const rows = (await this.sql.unsafe('select pid from pg_stat_activity where datname = current_database()')) as unknown as { pid: number }[];
    return rows.map((r) => r.pid);
  }

  async serverVersion(): Promise<string> {
    const [row] = (await this.sql.unsafe('show server_version')) as unknown as { server_version: string }[];
    return row!.server_version;
  }

  /** PostgreSQL's clock minus ours (ms), from the midpoint of one round trip: ~0 on one machine */
  async clockOffsetMs(): Promise<number> {
    const t0 = performance.timeOrigin + performance.now();
    const [row] = (await this.sql.unsafe('select extract(epoch from clock_timestamp()) * 1000 as t')) as unknown as { t: number }[];
    const t1 = performance.timeOrigin + performance.now();
    return Number(row!.t) - (t0 + t1) / 2;
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}
