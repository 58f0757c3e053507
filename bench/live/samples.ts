/** Latency samples in a growable Float64Array (millions of them, cheaply), and their percentiles. */
import { percentile } from '../rest/load.js';

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export class Samples {
  private buf = new Float64Array(1 << 16);
  private n = 0;

  add(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }

  get count(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  summary(): LatencySummary {
    const sorted = this.buf.slice(0, this.n).sort();
    return {
      count: this.n,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      max: this.n > 0 ? sorted[this.n - 1]! : Number.NaN,
    };
  }
}

/** wall-clock milliseconds with sub-millisecond precision, comparable with PostgreSQL's clock_timestamp() on the same machine */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}
