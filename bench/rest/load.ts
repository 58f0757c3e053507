/**
 * A small closed-loop load generator: N workers each run one job at a time,
 * back to back, for warm-up + measured seconds. Only jobs that finish inside
 * the measured window count (throughput and latencies), so warm-up (JIT,
 * prepared statements, pool connections) and the drain at the end are excluded.
 * Runs of one target can be split into slices and merged (summarize), so
 * targets can take turns and share the machine's background noise.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadOptions {
  readonly concurrency: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** what one run collected; several runs of the same target merge with summarize() */
export interface Samples {
  readonly latencies: readonly number[];
  /** every job that finished, measured or not (settle, drain): the denominator for CPU per request */
  readonly completed: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly measuredMs: number;
}

/** a job gets a sequence number (to pick a request variant) and throws on failure */
export type Job = (seq: number) => Promise<void>;

export async function runClosedLoop(job: Job, opts: LoadOptions): Promise<Samples> {
  const start = performance.now();
  const measureStart = start + opts.warmupMs;
  const measureEnd = measureStart + opts.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let seq = 0;
  let completed = 0;

  const worker = async () => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= measureEnd) return;
      let failed = false;
      try {
        await job(seq++);
      } catch (e) {
        failed = true;
        firstError ??= (e as Error).message;
      }
      const t1 = performance.now();
      completed++;
      if (t1 < measureStart || t1 > measureEnd) continue;
      if (failed) errors++;
      else latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { latencies, completed, errors, firstError, measuredMs: opts.durationMs };
}

export function summarize(parts: readonly Samples[]): LoadResult {
  const sorted = Float64Array.from(parts.flatMap((p) => p.latencies)).sort();
  const measuredMs = parts.reduce((sum, p) => sum + p.measuredMs, 0);
  return {
    requests: sorted.length,
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    firstError: parts.find((p) => p.firstError !== null)?.firstError ?? null,
    rps: measuredMs > 0 ? sorted.length / (measuredMs / 1000) : 0,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** nearest-rank percentile of sorted values; NaN when empty */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** path + query string */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Keep-alive HTTP/1.1 over one agent with as many sockets as workers, so every
 * worker reuses its own connection (no connect cost inside the measurement).
 */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly port: number,
    concurrency: number,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  /** resolves with the body only when asked: reading it costs client CPU the server shares on a small machine */
  request(r: HttpRequest, keepBody = false): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
      const req = http.request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method: r.method, path: r.path, headers },
        (res) => {
          const status = res.statusCode ?? 0;
          if (!keepBody && status < 300) {
            res.on('end', () => resolve({ status, body: '' }));
            res.resume();
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (status >= 300 && !keepBody) reject(new Error(`HTTP ${status}: ${body.slice(0, 300)}`));
            else resolve({ status, body });
          });
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
