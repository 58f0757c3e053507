/**
 * LiveClient: one websocket to pglive's /live endpoint, shared by any number
 * of LiveQuery subscriptions. Isomorphic: it uses only the standard WebSocket
 * interface, injected (the `ws` package on Node < 22) or taken from globalThis.
 *
 * It authenticates (cookies / headers at the upgrade, or an `auth` message
 * first), waits for the server's `ready`, (re)sends every subscription —
 * as `resume` from the last version it holds — reconnects with backoff when
 * the socket is lost, and declares a socket dead after 2 unanswered pings.
 */
import { CLOSE, ServerMessage, type ClientMessage } from '../protocol/live.js';
import { Emitter } from './emitter.js';
import { LiveQuery, type QueryHost, type SubscribeOptions } from './query.js';
import {
  backoffDelay,
  canTransition,
  DEFAULT_RECONNECT,
  type CloseInfo,
  type ConnectionState,
  type ReconnectOptions,
} from './state.js';

/** The part of the standard WebSocket interface the client uses (the browser's, undici's and ws's all fit). */
export interface WebSocketLike {
  readonly readyState: number;
  // handler parameters are `any` so that the DOM's (MessageEvent, CloseEvent) and ws's types all fit
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** `new WebSocket(url)` or, with headers (Node only), `new WebSocket(url, { headers })` */
export type WebSocketCtor = new (url: string, options?: any) => WebSocketLike;

export interface LiveClientOptions {
  /** e.g. 'ws://localhost:3000/live' */
  readonly url: string;
  /** a Bearer JWT or API token, sent as the first message (`auth`) */
  readonly token?: string;
  /** Node only: headers for the upgrade request (e.g. Cookie, Authorization, Origin) */
  readonly headers?: Record<string, string>;
  /** the WebSocket implementation; default globalThis.WebSocket */
  readonly WebSocket?: WebSocketCtor;
  readonly reconnect?: Partial<ReconnectOptions>;
  /** default 20 s; after 2 intervals without a pong the socket is treated as dead */
  readonly pingIntervalMs?: number;
  /** default true; if false, call connect() */
  readonly autoConnect?: boolean;
}

export class LiveClientError extends Error {
  override readonly name = 'LiveClientError';
  constructor(
    /** 'invalid-message', 'connect-failed', or the server's error code */
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type LiveClientEvents = {
  state: (state: ConnectionState, previous: ConnectionState) => void;
  /** problems not tied to one subscription: invalid server messages, server errors without an id */
  error: (err: LiveClientError) => void;
  /** tables or columns changed on the server (`at`: server time, ms) */
  'schema-changed': (at: number) => void;
  /** column preferences of schema.relation changed on the server (re-fetch /meta/prefs) */
  'prefs-changed': (relation: { schema: string; relation: string }) => void;
};

/** close codes after which reconnecting cannot help: the user must act (log in again, fix the Origin) */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE.UNAUTHENTICATED,
  CLOSE.SESSION_ENDED,
  CLOSE.FORBIDDEN_ORIGIN,
]);

const OPEN = 1; // WebSocket.OPEN, not read from the class: an injected implementation may lack the static
const MISSED_PONGS_DEAD = 2;

export class LiveClient extends Emitter<LiveClientEvents> {
  #state: ConnectionState = { status: 'closed', code: null, reason: 'not connected yet' };
  #socket: WebSocketLike | null = null;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #pingTimer: ReturnType<typeof setInterval> | null = null;
  #unanswered = 0;
  #nextId = 1;
  readonly #queries = new Map<string, LiveQuery>();
  readonly #impl: WebSocketCtor;
  readonly #reconnect: ReconnectOptions;
  readonly #host: QueryHost = {
    send: (msg) => this.#sendIfReady(msg),
    forget: (id) => this.#queries.delete(id),
  };

  constructor(readonly options: LiveClientOptions) {
    super();
    const impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (impl === undefined)
      throw new Error('No WebSocket implementation: pass { WebSocket } (e.g. from the ws package) on Node < 22');
    this.#impl = impl;
    this.#reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    if (options.autoConnect !== false) this.connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** active subscriptions */
  get queries(): readonly LiveQuery[] {
    return [...this.#queries.values()];
  }

  /** Connect (again) from 'closed', or skip the wait while 'reconnecting'. */
  connect(): void {
    if (this.#state.status === 'connecting' || this.#state.status === 'open') return;
    if (this.#state.status === 'closed') this.#attempt = 0; // a fresh start, e.g. after logging in again
    this.#clearReconnectTimer();
    this.#open();
  }

  /** Close for good (until connect()). Subscriptions are kept and resumed by a later connect(). */
  close(): void {
    this.#clearReconnectTimer();
    const socket = this.#detach();
    socket?.close(CLOSE.NORMAL, 'client closed');
    if (this.#state.status !== 'closed') this.#setState({ status: 'closed', code: CLOSE.NORMAL, reason: 'closed by the client' });
  }

  /** Subscribe to `table` filtered/ordered/windowed by `query` (REST syntax without '?'). */
  subscribe(table: string, query = '', opts: SubscribeOptions = {}): LiveQuery {
    const q = new LiveQuery(`q${this.#nextId++}`, table, query, opts, this.#host);
    this.#queries.set(q.id, q);
    this.#sendIfReady(q.subscribeMessage());
    return q;
  }

  // ------------------------------------------------------------------ socket lifecycle

  #open(): void {
    this.#setState({ status: 'connecting', attempt: this.#attempt });
    let socket: WebSocketLike;
    try {
      socket = this.options.headers ? new this.#impl(this.options.url, { headers: this.options.headers }) : new this.#impl(this.options.url);
    } catch (err) {
      // a malformed URL: retrying cannot fix it
      this.emit('error', new LiveClientError('connect-failed', `Cannot open ${this.options.url}: ${String(err)}`, err));
      this.#setState({ status: 'closed', code: null, reason: String(err) });
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (this.options.token !== undefined) this.#send({ type: 'auth', token: this.options.token });
      this.#startPing();
    };
    socket.onmessage = (ev: { data: unknown }) => this.#onMessage(ev.data);
    socket.onclose = (ev: { code?: number; reason?: string }) => {
      if (this.#socket !== socket) return;
      this.#detach();
      this.#lost({ code: ev.code ?? null, reason: ev.reason ?? '' });
    };
    socket.onerror = () => {
      // Browsers follow an error with a close event, but Node 20's built-in
      // WebSocket does not after a failed handshake (it stays CONNECTING):
      // treat the error as the end of this socket and ignore what follows.
      if (this.#socket !== socket) return;
      this.#detach();
      try {
        socket.close();
      } catch {
        // already failed
      }
      this.#lost({ code: null, reason: 'connection error' });
    };
  }

  /** The socket is gone: stop for good on a fatal code, else retry after a backoff delay. */
  #lost(close: CloseInfo): void {
    if (close.code !== null && FATAL_CLOSE_CODES.has(close.code)) {
      this.#setState({ status: 'closed', ...close });
      return;
    }
    const delayMs = backoffDelay(this.#attempt, this.#reconnect);
    this.#attempt++;
    this.#setState({ status: 'reconnecting', attempt: this.#attempt, delayMs, lastClose: close });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#open();
    }, delayMs);
  }

  /** Forget the current socket (late events from it are ignored) and return it. */
  #detach(): WebSocketLike | null {
    const socket = this.#socket;
    this.#socket = null;
    this.#stopPing();
    if (socket) socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    return socket;
  }

  #startPing(): void {
    this.#stopPing();
    this.#unanswered = 0;
    this.#pingTimer = setInterval(() => {
      if (this.#unanswered >= MISSED_PONGS_DEAD) {
        // a half-open TCP connection may never fire 'close': give up on it now
        const socket = this.#detach();
        socket?.close(CLOSE.NORMAL, 'ping timeout');
        this.#lost({ code: null, reason: `no pong for ${MISSED_PONGS_DEAD} pings` });
        return;
      }
      this.#unanswered++;
      this.#send({ type: 'ping', t: Date.now() });
    }, this.options.pingIntervalMs ?? 20_000);
  }

  #stopPing(): void {
    if (this.#pingTimer !== null) clearInterval(this.#pingTimer);
    this.#pingTimer = null;
  }

  #clearReconnectTimer(): void {
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  #setState(next: ConnectionState): void {
    const previous = this.#state;
    if (!canTransition(previous.status, next.status))
      throw new Error(`LiveClient: illegal transition ${previous.status} → ${next.status}`);
    this.#state = next;
    this.emit('state', next, previous);
  }

  // ------------------------------------------------------------------ messages

  #send(msg: ClientMessage): boolean {
    const socket = this.#socket;
    if (socket === null || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(msg));
    return true;
  }

  /** subscription traffic waits for `ready`: a query sent earlier would race the authentication */
  #sendIfReady(msg: ClientMessage): boolean {
    return this.#state.status === 'open' && this.#send(msg);
  }

  #onMessage(data: unknown): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer));
    } catch {
      this.emit('error', new LiveClientError('invalid-message', 'Server sent a message that is not JSON text', data));
      return;
    }
    const result = ServerMessage.safeParse(parsed);
    if (!result.success) {
      this.emit('error', new LiveClientError('invalid-message', `Server sent an invalid message: ${result.error.message}`, parsed));
      return;
    }
    const msg = result.data;
    switch (msg.type) {
      case 'ready': {
        // a second `ready` on an open socket is a role change: the server re-subscribes by itself
        const reconnected = this.state.status !== 'open';
        this.#attempt = 0;
        this.#setState({ status: 'open', role: msg.role, user: msg.user });
        if (reconnected) for (const q of this.#queries.values()) this.#send(q.subscribeMessage());
        return;
      }
      case 'pong':
        this.#unanswered = 0;
        return;
      case 'schema-changed':
        this.emit('schema-changed', msg.at);
        return;
      case 'prefs-changed':
        this.emit('prefs-changed', { schema: msg.schema, relation: msg.relation });
        return;
      case 'error': {
        const q = msg.id === undefined ? undefined : this.#queries.get(msg.id);
        if (q) q.onError(msg);
        else this.emit('error', new LiveClientError(msg.code, msg.message, msg));
        return;
      }
      case 'snapshot': {
        const q = this.#queries.get(msg.id);
        if (q === undefined) return;
        if (msg.keys.length !== msg.rows.length || new Set(msg.keys).size !== msg.keys.length) {
          q.onError({ code: 'invalid-snapshot', message: `Snapshot for ${msg.id} has ${msg.keys.length} keys (some repeated?) for ${msg.rows.length} rows` });
          return;
        }
        q.onSnapshot(msg);
        return;
      }
      case 'patch':
        this.#queries.get(msg.id)?.onPatch(msg);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }
}
