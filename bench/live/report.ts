/**
 * Live bench results → markdown (printed, and written into BENCHMARKS.md
 * between the live results markers, replacing the previous run).
 */
import { writeSection } from '../markdown.js';
import type { IsolatedResult, NaiveStep, StepResult } from './measure.js';
import type { EngineStats } from './server.js';

export interface MemoryPoint {
  readonly label: string;
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
}

export interface LiveFacts {
  readonly date: string;
  readonly command: string;
  readonly nproc: number;
  readonly cpuModel: string;
  readonly kernel: string;
  readonly node: string;
  readonly postgres: string;
  readonly database: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly clockOffsetMs: number;
  readonly clients: number;
  readonly views: number;
  readonly subscribeMs: number;
}

export interface LiveReport {
  readonly facts: LiveFacts;
  readonly isolated: IsolatedResult;
  readonly headline: StepResult;
  readonly steps: readonly StepResult[];
  readonly memory: readonly MemoryPoint[];
  /** engine state estimate after the load (all views) */
  readonly stateBytes: NonNullable<EngineStats['stateBytes']>;
  readonly naive: readonly NaiveStep[];
  /** trigger-overhead.ts output (its markdown table), or why it is missing */
  readonly triggers: string;
}

export const P99_LIMIT_MS = 100;
const START = '<!-- bench:live results start -->';
const END = '<!-- bench:live results end -->';

const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const pct = (v: number) => (Number.isNaN(v) ? '–' : `${(v * 100).toFixed(0)} %`);
const goal = (ok: boolean) => (ok ? '✅' : '❌');

/** the highest target rate whose p99 stayed within the limit while the writer kept its rate; null if none */
export function maxSustained(steps: readonly StepResult[]): StepResult | null {
  let best: StepResult | null = null;
  for (const s of steps) {
    const ok = s.latency.count > 0 && s.latency.p99 <= P99_LIMIT_MS && s.write.rowsPerSecond >= 0.95 * s.targetRate;
    if (ok && (best === null || s.targetRate > best.targetRate)) best = s;
  }
  return best;
}

function stepRow(s: StepResult): string {
  const l = s.latency;
  return `| ${s.targetRate} | ${s.write.rowsPerSecond.toFixed(0)} | ${ms(l.p50)} | ${ms(l.p95)} | ${ms(l.p99)} | ${ms(l.max)} | ${l.count} | ` +
    `${(s.wakeups / s.write.seconds).toFixed(0)} | ${(s.evaluations / s.write.seconds).toFixed(0)} | ${s.evaluations > 0 ? pct(s.changedEvaluations / s.evaluations) : '–'} | ${ms(s.evalMsMean)} | ` +
    `${s.messagesPerSecond.toFixed(0)} | ${s.serverCores.toFixed(2)} | ${s.postgresCores.toFixed(2)} | ${s.clientCores.toFixed(2)} | ${pct(s.machineBusy)} | ${s.drainMs.toFixed(0)} |`;
}

function memoryPer(report: LiveReport): { perConnection: number; perViewFresh: number; perViewLoaded: number; perViewMarginal: number | null } {
  const m = (label: string) => report.memory.find((p) => p.label === label);
  const none = m('no clients')!;
  const connected = m('1,000 sockets, no views')!;
  const half = Math.floor(report.facts.views / 2);
  const halfway = m(`${half} views subscribed`);
  const fresh = m('100 views subscribed')!;
  const loaded = m('100 views, after the load')!;
  return {
    perConnection: (connected.heapUsed - none.heapUsed) / report.facts.clients,
    perViewFresh: (fresh.heapUsed - connected.heapUsed) / report.facts.views,
    perViewLoaded: (loaded.heapUsed - connected.heapUsed) / report.facts.views,
    perViewMarginal: halfway ? (fresh.heapUsed - halfway.heapUsed) / (report.facts.views - half) : null,
  };
}

export function resultTables(r: LiveReport): string {
  const h = r.headline;
  const best = maxSustained(r.steps);
  const mem = memoryPer(r);
  const iso = r.isolated;
  const isoPerWake = iso.wakeups > 0 ? iso.evaluations / iso.wakeups : Number.NaN;
  const perWake = h.wakeups > 0 ? h.evaluations / h.wakeups : Number.NaN;
  const perTx = h.write.transactions > 0 ? h.evaluations / h.write.transactions : Number.NaN;
  const lines = [
    `**Commit → client receive at ${h.targetRate} row changes/s** (${h.write.rowsPerSecond.toFixed(0)} achieved, ${h.write.transactions} transactions in ${h.write.seconds.toFixed(0)} s; ` +
      `${h.latency.count} deliveries measured, one per client per change)` +
      (h.write.rowsPerSecond < 0.95 * h.targetRate ? '. The writer fell short of the target rate: the machine was saturated (see "machine busy" below):' : ':'),
    '',
    '| p50 ms | p95 ms | p99 ms | max ms | goal p50 ≤ 10 | goal p99 ≤ 50 |',
    '|---:|---:|---:|---:|:---:|:---:|',
    `| ${ms(h.latency.p50)} | ${ms(h.latency.p95)} | ${ms(h.latency.p99)} | ${ms(h.latency.max)} | ${goal(h.latency.p50 <= 10)} | ${goal(h.latency.p99 <= 50)} |`,
    '',
    `**Rate steps** (each ${r.steps[0]?.write.seconds.toFixed(0) ?? '?'} s measured after a warm-up). ` +
      `Maximum sustained rate with p99 ≤ ${P99_LIMIT_MS} ms: **${best ? `${best.targetRate} row changes/s` : `none of the steps (lowest: ${r.steps[0]?.targetRate ?? '?'}/s)`}**.`,
    '',
    '| target rows/s | achieved | p50 ms | p95 ms | p99 ms | max ms | deliveries | wake-ups/s | evaluations/s | evaluations that changed the view | ms / evaluation | messages/s to clients | pglive CPU (cores) | PostgreSQL CPU (cores) | clients + writer CPU (cores) | machine busy | drain ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[h, ...r.steps].map(stepRow),
    '',
    '(The first row is the headline run above.) "achieved": the writer\'s actual rate (it falls short when the machine is saturated). ' +
      '"PostgreSQL CPU": the backends of the bench database (pglive\'s pool and LISTEN connection, the writer). "machine busy": all CPUs, every process. ' +
      '"drain": after the writer stopped, how long until the engine had no evaluation left.',
    '',
    `**SQL per wake-up.** Unloaded (${iso.changes} single-row updates, one at a time): ${iso.wakeups} wake-ups, ${iso.evaluations} evaluations — ` +
      `**${ms(isoPerWake)} evaluations per wake-up**, of which ${ms(iso.changedEvaluations / Math.max(1, iso.wakeups))} found their view changed; ` +
      `commit → receive p50 ${ms(iso.latency.p50)} ms, p99 ${ms(iso.latency.p99)} ms (${iso.latency.count} deliveries). ` +
      `Under load (headline run): ${h.notifications} change notifications → ${h.wakeups} wake-ups → ${h.evaluations} evaluations (${ms(perWake)} per wake-up, ${ms(perTx)} per writing transaction; ` +
      `a saturated engine folds many changes into one evaluation, so this ratio falls as the rate rises). ` +
      'Each evaluation is one read-only transaction as the view\'s role: `BEGIN`, the role/claims `set_config`, the view\'s `SELECT` (page + exact count), `COMMIT` — 4 statements, so ' +
      `**≈ ${Number.isNaN(isoPerWake) ? '–' : (isoPerWake * 4).toFixed(0)} statements per wake-up** when unloaded. ` +
      'Views of one role and claims that wait together share one transaction (1 `SELECT` each plus 3), which is how a busy engine keeps up.',
    '',
    `**Server memory per live view** (pglive child, V8 heap after two full GCs; goal ≤ 16 KB): ` +
      `**${kb(mem.perViewFresh)} KB per view** just after subscribing, **${kb(mem.perViewLoaded)} KB per view** after the load, ` +
      (mem.perViewMarginal === null ? '' : `**${kb(mem.perViewMarginal)} KB for each of the second ${r.facts.views - Math.floor(r.facts.views / 2)} views** (the marginal cost: the first views also pay for code V8 compiles once), `) +
      `each with its ${r.facts.clients / r.facts.views} subscribers; ${kb(mem.perConnection)} KB per authenticated socket. ` +
      `Engine state by its own count, per view: rows as JSON value arrays (with keys) ${kb(r.stateBytes.rows / r.facts.views)} KB, row fingerprints ${kb(r.stateBytes.hashes / r.facts.views)} KB, ` +
      `patch log ${kb(r.stateBytes.log / r.facts.views)} KB as JSON text (${(r.stateBytes.logEntries / r.facts.views).toFixed(0)} entries). ` +
      (mem.perViewMarginal === null
        ? `Goal: ${goal(mem.perViewLoaded <= 16 * 1024)}`
        : `Goal, on the marginal cost plus the patch log after the load (${kb(mem.perViewMarginal + r.stateBytes.log / r.facts.views)} KB; ` +
          'the averages also carry code compiled once and the driver\'s statement caches, which do not grow with views): ' +
          goal(mem.perViewMarginal + r.stateBytes.log / r.facts.views <= 16 * 1024)),
    '',
    '| stage | heap used MB | RSS MB | external MB |',
    '|---|---:|---:|---:|',
    ...r.memory.map((p) => `| ${p.label} | ${mb(p.heapUsed)} | ${mb(p.rss)} | ${mb(p.external)} |`),
    '',
    `**Baseline: naive re-query of every subscriber per change** (${r.facts.clients} re-queries per writing transaction, no sharing, no coalescing; ` +
      'same pool size, same planned SQL and role transaction; nothing sent to sockets):',
    '',
    '| target rows/s | achieved | changes (transactions) | re-queries/s | p50 ms | p95 ms | p99 ms | deliveries | backlog at the end (changes) | machine busy | kept up |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|',
    ...r.naive.map((n) =>
      `| ${n.targetRate} | ${n.write.rowsPerSecond.toFixed(0)} | ${n.changes} | ${n.queriesPerSecond.toFixed(0)} | ${ms(n.p50)} | ${ms(n.p95)} | ${ms(n.p99)} | ${n.count} | ${n.backlog} | ${pct(n.machineBusy)} | ${goal(n.backlog === 0 && n.p99 <= P99_LIMIT_MS)} |`),
    '',
    '**Trigger overhead** (`bench/live/trigger-overhead.ts`, pgbench TPC-B-like with vs without the capture triggers; goal ≥ 0.90×):',
    '',
    r.triggers.trim(),
  ];
  return lines.join('\n');
}

export function resultsSection(r: LiveReport): string {
  const f = r.facts;
  return [
    START,
    `### Latest run — ${f.date}`,
    '',
    '```',
    f.command,
    '```',
    '',
    `- Machine: ${f.nproc} CPUs (${f.cpuModel}), ${f.kernel}, shared with other processes; load average (1, 5, 15 min) before: ${f.loadBefore}, after: ${f.loadAfter}`,
    `- Node ${f.node}; PostgreSQL ${f.postgres} (${f.database}), loopback TCP; PostgreSQL − client clock offset ${f.clockOffsetMs.toFixed(2)} ms`,
    `- ${f.clients.toLocaleString('en')} websocket clients, ${f.views} distinct live views; subscribing all of them (1,000 snapshots) took ${f.subscribeMs.toFixed(0)} ms`,
    '',
    resultTables(r),
    END,
  ].join('\n');
}

/** replaces this benchmark's section of BENCHMARKS.md, or appends one */
export function writeBenchmarks(path: string, section: string): void {
  writeSection(path, { start: START, end: END }, section, '## Live engine\n\n');
}
