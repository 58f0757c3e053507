/**
 * 1,000 websocket clients of /live in this process, each holding one
 * subscription, each measuring commit → receive latency for every change it is
 * sent.
 *
 * Every write stamps its rows with clock_timestamp() in epoch ms (`stamp`).
 * A row value reaches a client in an `insert` op (row) or an `update` op
 * (fields). Only stamps newer than the newest the client already had count:
 * the pages are ordered by updated_at desc, so every write lands on top, and a
 * row that re-enters a page from below (after a delete) carries an old stamp
 * the client saw before — not a new delivery. A row written twice between two
 * evaluations only delivers its second stamp; the first is not counted.
 */
import WebSocket from 'ws';
import type { PatchOp, Row, ServerMessage } from '../../src/protocol/live.js';
import { Samples, wallMs } from './samples.js';
import { TABLE, type Subscription } from './workload.js';

interface Client {
  readonly ws: WebSocket;
  readonly sub: Subscription;
  maxStamp: number;
  snapshot: boolean;
  subscribed: boolean;
}

export interface ClientCounters {
  readonly messages: number;
  readonly bytes: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly closed: number;
}

function stampOf(r: Row | undefined): number | null {
  const s = r?.['stamp'];
  return typeof s === 'number' ? s : null;
}

export class LiveClients {
  private readonly clients: Client[] = [];
  /** latencies of changes committed at or after `from` (epoch ms) */
  readonly samples = new Samples();
  private from = Number.POSITIVE_INFINITY;
  private messages = 0;
  private bytes = 0;
  private errors = 0;
  private firstError: string | null = null;
  private closed = 0;
  private snapshots = 0;
  private snapshotWaiters: { target: number; resolve: () => void }[] = [];

  constructor(private readonly url: string) {}

  /** opens sockets in batches (the server authenticates each upgrade), resolves when all are `ready` */
  async connect(subs: readonly Subscription[], batch = 50): Promise<void> {
    for (let i = 0; i < subs.length; i += batch) {
      await Promise.all(subs.slice(i, i + batch).map((s) => this.open(s)));
    }
  }

  private open(sub: Subscription): Promise<void> {
    const ws = new WebSocket(this.url, { headers: { authorization: `Bearer ${sub.token}` }, perMessageDeflate: false });
    const client: Client = { ws, sub, maxStamp: 0, snapshot: false, subscribed: false };
    this.clients.push(client);
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.on('close', () => this.closed++);
      ws.on('message', (data: Buffer) => {
        const at = wallMs();
        this.messages++;
        this.bytes += data.length;
        const msg = JSON.parse(data.toString('utf8')) as ServerMessage;
        if (msg.type === 'ready') resolve();
        else this.onMessage(client, msg, at);
      });
    });
  }

  /** every client subscribes; resolves when every snapshot has arrived */
  /** subscribes the clients whose view `which` accepts (default: all); resolves when they all have their snapshot */
  async subscribe(which: (view: number) => boolean = () => true, timeoutMs = 60_000): Promise<void> {
    const chosen = this.clients.filter((c) => !c.subscribed && which(c.sub.view));
    const target = this.snapshots + chosen.length;
    const all = new Promise<void>((resolve) => this.snapshotWaiters.push({ target, resolve }));
    for (const c of chosen) {
      c.subscribed = true;
      c.ws.send(JSON.stringify({ type: 'subscribe', id: 'v', table: TABLE, query: c.sub.query, count: 'exact' }));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`only ${this.snapshots} of ${target} snapshots within ${timeoutMs} ms (${this.firstError ?? 'no error'})`)), timeoutMs);
    });
    await Promise.race([all, timeout]).finally(() => clearTimeout(timer));
  }

  private onMessage(c: Client, msg: ServerMessage, at: number): void {
    if (msg.type === 'snapshot') {
      for (const r of msg.rows) c.maxStamp = Math.max(c.maxStamp, stampOf(r) ?? 0);
      if (!c.snapshot) {
        c.snapshot = true;
        ++this.snapshots;
        for (const w of this.snapshotWaiters.filter((x) => x.target <= this.snapshots)) {
          this.snapshotWaiters.splice(this.snapshotWaiters.indexOf(w), 1);
          w.resolve();
        }
      }
    } else if (msg.type === 'patch') {
      this.onPatch(c, msg.ops, at);
    } else if (msg.type === 'error') {
      this.errors++;
      this.firstError ??= `${msg.code}: ${msg.message}`;
    }
  }

  private onPatch(c: Client, ops: readonly PatchOp[], at: number): void {
    const prev = c.maxStamp;
    for (const op of ops) {
      const s = op.op === 'insert' ? stampOf(op.row) : op.op === 'update' ? stampOf(op.fields) : null;
      if (s === null || s <= prev) continue;
      if (s >= this.from) this.samples.add(at - s);
      if (s > c.maxStamp) c.maxStamp = s;
    }
  }

  /** start a measurement: only changes committed from now on count */
  startWindow(from: number): void {
    this.from = from;
    this.samples.clear();
  }

  stopWindow(): void {
    this.from = Number.POSITIVE_INFINITY;
  }

  counters(): ClientCounters {
    return { messages: this.messages, bytes: this.bytes, errors: this.errors, firstError: this.firstError, closed: this.closed };
  }

  get size(): number {
    return this.clients.length;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.clients.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === WebSocket.CLOSED) return resolve();
            c.ws.once('close', () => resolve());
            c.ws.close();
            setTimeout(resolve, 2000).unref();
          }),
      ),
    );
  }
}
