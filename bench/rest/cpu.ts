/**
 * CPU time of this process and of the pglive child, to report CPU per request
 * next to throughput: on a small machine the ratio is mostly a CPU budget.
 * The child's time comes from /proc (Linux); elsewhere it reads as NaN.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every mainstream Linux */
const TICKS_PER_S = 100;

export interface CpuSnapshot {
  /** µs of CPU used by this process (user + system) */
  readonly self: number;
  /** µs of CPU used by the child, NaN when unknown */
  readonly child: number;
}

function procCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_S) * 1e6;
  } catch {
    return Number.NaN;
  }
}

export function cpuSnapshot(childPid: number | undefined): CpuSnapshot {
  const u = process.cpuUsage();
  return { self: u.user + u.system, child: childPid === undefined ? Number.NaN : procCpuMicros(childPid) };
}

export function cpuSince(before: CpuSnapshot, childPid: number | undefined): CpuSnapshot {
  const now = cpuSnapshot(childPid);
  return { self: now.self - before.self, child: now.child - before.child };
}
