/**
 * One live subscription: an ordered result set kept up to date by the
 * server's snapshot and patch messages. Created by LiveClient.subscribe.
 *
 * Nothing is silently lost: a patch whose fromVersion is not the held version,
 * or that does not fit the held rows (PatchError), is dropped and answered with
 * a `resync`; patches are ignored until the fresh snapshot arrives.
 */
import type {
  ClientMessage,
  PatchMessage,
  PatchOp,
  ResumeMessage,
  Row,
  SnapshotMessage,
  SubscribeMessage,
} from '../protocol/live.js';
import { applyPatch, PatchError } from '../protocol/patch.js';
import { Emitter } from './emitter.js';

export type QueryStatus = 'loading' | 'live' | 'error';

export interface ChangeEvent {
  /** the ops applied (empty for a snapshot) */
  readonly ops: readonly PatchOp[];
  /** true when the whole result was replaced */
  readonly snapshot: boolean;
}

/** an `error` message from the server about this subscription */
export interface QueryError {
  readonly code: string;
  readonly message: string;
  readonly details?: string | null;
  readonly hint?: string | null;
}

export type LiveQueryEvents = {
  change: (ev: ChangeEvent) => void;
  error: (err: QueryError) => void;
  /** a gap or an inconsistent patch: the query asked for a fresh snapshot */
  resync: (reason: string) => void;
};

export interface SubscribeOptions {
  /** schema (Accept-Profile); default: the server's first exposed schema */
  readonly schema?: string;
  /** total row count: exact (default), estimated or none (total stays null) */
  readonly count?: 'exact' | 'estimated' | 'none';
}

/** what a LiveQuery needs from its client */
export interface QueryHost {
  /** send if the socket is open and authenticated; false otherwise (the client re-sends on connect) */
  send(msg: ClientMessage): boolean;
  forget(id: string): void;
}

export class LiveQuery extends Emitter<LiveQueryEvents> {
  #keys: string[] = [];
  #rows = new Map<string, Row>();
  #ordered: Row[] | null = [];
  #version: number | null = null;
  #total: number | null = null;
  #status: QueryStatus = 'loading';
  #error: QueryError | null = null;
  #mode: 'live' | 'polling' | null = null;
  /** the held rows are not to be trusted: ignore patches until a snapshot */
  #needSnapshot = false;
  #closed = false;

  constructor(
    readonly id: string,
    readonly table: string,
    readonly query: string,
    readonly options: SubscribeOptions,
    readonly host: QueryHost,
  ) {
    super();
  }

  /** rows in result order (a new array after each change; stable between changes) */
  get rows(): readonly Row[] {
    return (this.#ordered ??= this.#keys.map((k) => this.#rows.get(k)!));
  }
  get keys(): readonly string[] {
    return this.#keys;
  }
  /** the row with this key, if held */
  get(key: string): Row | undefined {
    return this.#rows.get(key);
  }
  get total(): number | null {
    return this.#total;
  }
  /** version of the held result; null before the first snapshot */
  get version(): number | null {
    return this.#version;
  }
  get status(): QueryStatus {
    return this.#status;
  }
  get error(): QueryError | null {
    return this.#error;
  }
  /** 'polling' when the server cannot capture changes for this table and re-evaluates periodically */
  get mode(): 'live' | 'polling' | null {
    return this.#mode;
  }
  get closed(): boolean {
    return this.#closed;
  }

  unsubscribe(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.host.send({ type: 'unsubscribe', id: this.id });
    this.host.forget(this.id);
  }

  /**
   * @internal The message that (re)establishes this subscription on a new
   * connection: `resume` from the held version when the held rows are sound,
   * else a fresh `subscribe`.
   */
  subscribeMessage(): SubscribeMessage | ResumeMessage {
    const base: SubscribeMessage = {
      type: 'subscribe',
      id: this.id,
      table: this.table,
      query: this.query,
      count: this.options.count ?? 'exact',
      ...(this.options.schema !== undefined ? { schema: this.options.schema } : {}),
    };
    if (this.#version === null || this.#needSnapshot || this.#status === 'error') return base;
    return { ...base, type: 'resume', version: this.#version };
  }

  /** @internal */
  onSnapshot(msg: SnapshotMessage): void {
    if (this.#closed) return;
    const rows = new Map<string, Row>();
    msg.keys.forEach((key, i) => rows.set(key, msg.rows[i]!));
    this.#keys = [...msg.keys];
    this.#rows = rows;
    this.#ordered = null;
    this.#version = msg.version;
    this.#total = msg.total;
    this.#mode = msg.mode;
    this.#needSnapshot = false;
    this.#status = 'live';
    this.#error = null;
    this.emit('change', { ops: [], snapshot: true });
  }

  /** @internal */
  onPatch(msg: PatchMessage): void {
    if (this.#closed || this.#needSnapshot) return;
    if (this.#version === null || msg.fromVersion !== this.#version) {
      this.#resync(`version gap: holding ${this.#version ?? 'nothing'}, patch from ${msg.fromVersion}`);
      return;
    }
    let next;
    try {
      next = applyPatch(this.#keys, this.#rows, msg.ops);
    } catch (err) {
      if (!(err instanceof PatchError)) throw err;
      this.#resync(`inconsistent patch: ${err.message}`);
      return;
    }
    this.#keys = next.keys;
    this.#rows = next.rows;
    this.#ordered = null;
    this.#version = msg.toVersion;
    this.#total = msg.total;
    // a patch after an error means the server recovered (e.g. a timed-out evaluation was retried)
    if (this.#status === 'error') {
      this.#status = 'live';
      this.#error = null;
    }
    this.emit('change', { ops: msg.ops, snapshot: false });
  }

  /** @internal */
  onError(err: QueryError): void {
    if (this.#closed) return;
    this.#status = 'error';
    this.#error = { code: err.code, message: err.message, details: err.details ?? null, hint: err.hint ?? null };
    this.emit('error', this.#error);
  }

  #resync(reason: string): void {
    // the held rows stay visible (stale) until the snapshot replaces them
    this.#needSnapshot = true;
    this.#status = 'loading';
    this.host.send({ type: 'resync', id: this.id });
    this.emit('resync', reason);
  }
}
