/**
 * One measured step at a given write rate: warm-up writes (not measured), then
 * a window whose commits count, then a drain until the engine is idle so late
 * deliveries count too (a falling-behind engine shows up as latency, not as
 * missing samples).
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuSince, cpuSnapshot } from '../rest/cpu.js';
import type { ChildHandle } from './child.js';
import type { LiveClients } from './clients.js';
import type { NaiveResult } from './naive.js';
import { wallMs, type LatencySummary } from './samples.js';
import type { EngineStats } from './server.js';
import type { Writer, WriteResult } from './writer.js';

export interface StepResult {
  readonly targetRate: number;
  readonly write: WriteResult;
  readonly latency: LatencySummary;
  readonly wakeups: number;
  readonly evaluations: number;
  /** evaluations that found the view changed (the rest re-read an unchanged page) */
  readonly changedEvaluations: number;
  readonly notifications: number;
  readonly evalMsMean: number;
  /** ms from the last commit until the engine was idle */
  readonly drainMs: number;
  readonly messagesPerSecond: number;
  readonly kbPerSecond: number;
  /** CPU used, in cores (1.0 = one core busy the whole window) */
  readonly serverCores: number;
  readonly clientCores: number;
  /** the bench database's PostgreSQL backends (pglive's pool, LISTEN, the writer) */
  readonly postgresCores: number;
  /** whole machine, from /proc/stat (all processes: PostgreSQL, pglive, clients, others) */
  readonly machineBusy: number;
  readonly serverLoopP99Ms: number;
  readonly clientLoopP99Ms: number;
  readonly clientErrors: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** busy and total jiffies of all CPUs */
function procStat(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** CPU µs of every backend of the bench database, by pid (Linux /proc; NaN elsewhere) */
async function backendCpu(writer: Writer): Promise<Map<number, number>> {
  return new Map((await writer.backendPids()).map((pid) => [pid, cpuSnapshot(pid).child]));
}

/** backends that connected meanwhile count from zero; ones that left are lost (pools keep theirs) */
function backendCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let us = 0;
  for (const [pid, v] of after) us += v - (before.get(pid) ?? 0);
  return us;
}

/** waits until no evaluation runs and none started for a while (or maxMs) */
async function drain(server: ChildHandle, maxMs: number): Promise<number> {
  const t0 = performance.now();
  let last = -1;
  let quiet = 0;
  while (performance.now() - t0 < maxMs) {
    const s = await server.request<EngineStats>({ type: 'stats' });
    if (s.running === 0 && s.evaluations === last) {
      if (++quiet >= 2) break;
    } else quiet = 0;
    last = s.evaluations;
    await sleep(50);
  }
  return performance.now() - t0;
}

export async function liveStep(
  deps: { server: ChildHandle; clients: LiveClients; writer: Writer },
  rate: number,
  warmupS: number,
  seconds: number,
): Promise<StepResult> {
  const { server, clients, writer } = deps;
  if (warmupS > 0) await writer.run(rate, warmupS);
  const before = await server.request<EngineStats>({ type: 'stats', reset: true });
  const c0 = clients.counters();
  const cpu0 = cpuSnapshot(server.child.pid);
  const pg0 = await backendCpu(writer);
  const m0 = procStat();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const t0 = performance.now();
  clients.startWindow(wallMs());
  const write = await writer.run(rate, seconds);
  const drainMs = await drain(server, 10_000);
  const elapsedS = (performance.now() - t0) / 1000;
  loop.disable();
  const after = await server.request<EngineStats>({ type: 'stats' });
  const cpu = cpuSince(cpu0, server.child.pid);
  const m1 = procStat();
  const pgUs = backendCpuSince(pg0, await backendCpu(writer));
  const c1 = clients.counters();
  clients.stopWindow();
  const evaluations = after.evaluations - before.evaluations;
  return {
    targetRate: rate,
    write,
    latency: clients.samples.summary(),
    wakeups: after.wakeups - before.wakeups,
    evaluations,
    changedEvaluations: after.changedEvaluations - before.changedEvaluations,
    notifications: after.notifications - before.notifications,
    evalMsMean: evaluations > 0 ? (after.evalMsTotal - before.evalMsTotal) / evaluations : Number.NaN,
    drainMs,
    messagesPerSecond: (c1.messages - c0.messages) / elapsedS,
    kbPerSecond: (c1.bytes - c0.bytes) / 1024 / elapsedS,
    serverCores: cpu.child / 1e6 / elapsedS,
    clientCores: cpu.self / 1e6 / elapsedS,
    postgresCores: pgUs / 1e6 / elapsedS,
    machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total),
    serverLoopP99Ms: after.loopP99Ms,
    clientLoopP99Ms: loop.percentile(99) / 1e6,
    clientErrors: c1.errors - c0.errors,
  };
}

export interface IsolatedResult {
  readonly changes: number;
  readonly latency: LatencySummary;
  readonly wakeups: number;
  readonly evaluations: number;
  readonly changedEvaluations: number;
}

/**
 * Single-row updates one at a time on an idle engine: the unloaded latency,
 * and the work one change causes (wake-ups, evaluations) without coalescing.
 */
export async function isolatedChanges(deps: { server: ChildHandle; clients: LiveClients; writer: Writer }, changes: number): Promise<IsolatedResult> {
  const { server, clients, writer } = deps;
  await drain(server, 10_000);
  const before = await server.request<EngineStats>({ type: 'stats' });
  clients.startWindow(wallMs());
  for (let i = 0; i < changes; i++) {
    await writer.updateOnce(1);
    await drain(server, 5_000);
    await sleep(50);
  }
  const after = await server.request<EngineStats>({ type: 'stats' });
  clients.stopWindow();
  return {
    changes,
    latency: clients.samples.summary(),
    wakeups: after.wakeups - before.wakeups,
    evaluations: after.evaluations - before.evaluations,
    changedEvaluations: after.changedEvaluations - before.changedEvaluations,
  };
}

export interface NaiveStep extends NaiveResult {
  readonly targetRate: number;
  readonly write: WriteResult;
  readonly machineBusy: number;
}

export async function naiveStep(naive: ChildHandle, writer: Writer, rate: number, warmupS: number, seconds: number, drainS: number): Promise<NaiveStep> {
  if (warmupS > 0) await writer.run(rate, warmupS);
  await naive.request({ type: 'window', from: wallMs() });
  const m0 = procStat();
  const write = await writer.run(rate, seconds);
  await sleep(drainS * 1000);
  const m1 = procStat();
  const r = await naive.request<NaiveResult>({ type: 'collect' });
  return { ...r, targetRate: rate, write, machineBusy: (m1.busy - m0.busy) / (m1.total - m0.total) };
}
