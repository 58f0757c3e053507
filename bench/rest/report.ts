/**
 * Results → markdown tables (printed, and written into BENCHMARKS.md between
 * the results markers, replacing the previous run).
 */
import { writeSection } from '../markdown.js';
import type { LoadResult } from './load.js';

export type Target = 'pglive' | 'rawTx' | 'rawStmt';

/** a target's throughput and latency, and its CPU per request (µs) */
export interface TargetResult extends LoadResult {
  /** this process: the HTTP load generator for pglive, the driver for the raw targets */
  readonly clientCpuUs: number;
  /** the pglive child; NaN for the raw targets */
  readonly serverCpuUs: number;
}

export interface Cell {
  readonly scenario: string;
  readonly concurrency: number;
  readonly results: Readonly<Record<Target, TargetResult>>;
}

export interface RunFacts {
  readonly date: string;
  readonly command: string;
  readonly nproc: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly postgres: string;
  readonly database: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly kernel: string;
  /** set when other work competed for the CPUs: the numbers are then not worth much */
  readonly busyWarning: string | null;
  readonly warmupS: number;
  readonly durationS: number;
  readonly rounds: number;
}

const START = '<!-- bench:rest results start -->';
const END = '<!-- bench:rest results end -->';

const rps = (r: LoadResult) => r.rps.toFixed(0);
const ms = (v: number) => (Number.isNaN(v) ? '–' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const ratio = (a: LoadResult, b: LoadResult) => (b.rps > 0 ? (a.rps / b.rps).toFixed(2) : '–');

function errorsNote(cells: readonly Cell[]): string[] {
  const notes: string[] = [];
  for (const c of cells) {
    for (const [target, r] of Object.entries(c.results)) {
      if (r.errors > 0) notes.push(`- ${c.scenario} ×${c.concurrency} ${target}: ${r.errors} errors (first: ${r.firstError ?? '?'})`);
    }
  }
  return notes;
}

export function resultTables(cells: readonly Cell[]): string {
  const main = [
    '| scenario | clients | pglive req/s | p50 ms | p99 ms | raw (same SQL + tx) req/s | p50 ms | p99 ms | **pglive / raw** |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...cells.map(({ scenario, concurrency: n, results: { pglive: p, rawTx: r } }) =>
      `| ${scenario} | ${n} | ${rps(p)} | ${ms(p.p50Ms)} | ${ms(p.p99Ms)} | ${rps(r)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | **${ratio(p, r)}** |`),
  ];
  const bare = [
    '| scenario | clients | raw (statement only) req/s | p50 ms | p99 ms | pglive / statement only |',
    '|---|---:|---:|---:|---:|---:|',
    ...cells.map(({ scenario, concurrency: n, results: { pglive: p, rawStmt: s } }) =>
      `| ${scenario} | ${n} | ${rps(s)} | ${ms(s.p50Ms)} | ${ms(s.p99Ms)} | ${ratio(p, s)} |`),
  ];
  const us = (v: number) => (Number.isNaN(v) ? '–' : v.toFixed(0));
  const cpu = [
    '| scenario | clients | pglive server | HTTP load generator | raw (same SQL + tx) | raw (statement only) |',
    '|---|---:|---:|---:|---:|---:|',
    ...cells.map(({ scenario, concurrency: n, results: { pglive: p, rawTx: r, rawStmt: s } }) =>
      `| ${scenario} | ${n} | ${us(p.serverCpuUs)} | ${us(p.clientCpuUs)} | ${us(r.clientCpuUs)} | ${us(s.clientCpuUs)} |`),
  ];
  const notes = errorsNote(cells);
  return [
    ...main,
    '',
    'Second baseline, more demanding: the bare statement on the pool, without the transaction and role context.',
    '',
    ...bare,
    '',
    'Node CPU per request, µs (user + system; PostgreSQL\'s own CPU not included). The raw columns are the driver\'s process.',
    '',
    ...cpu,
    ...(notes.length > 0 ? ['', 'Errors during measurement:', ...notes] : []),
  ].join('\n');
}

export function resultsSection(cells: readonly Cell[], f: RunFacts): string {
  return [
    START,
    `### Latest run — ${f.date}`,
    '',
    '```',
    f.command,
    '```',
    '',
    `- Machine: ${f.nproc} CPUs (${f.cpuModel}), ${f.kernel}, shared with other processes; load average (1, 5, 15 min) before the run: ${f.loadBefore}, after: ${f.loadAfter}`,
    `- Node ${f.node}; PostgreSQL ${f.postgres} (${f.database}), loopback TCP`,
    ...(f.busyWarning ? [`- **Warning: ${f.busyWarning}**`] : []),
    `- Each cell, per target: ${f.warmupS} s warm-up (excluded), then ${f.durationS} s measured in ${f.rounds} slices taking turns with the other targets; closed loop (each client sends its next request when its previous one is answered)`,
    '',
    resultTables(cells),
    END,
  ].join('\n');
}

/** replaces this benchmark's section of BENCHMARKS.md, or appends one */
export function writeBenchmarks(path: string, section: string): void {
  writeSection(path, { start: START, end: END }, section);
}
