/**
 * GET /live — the authenticated websocket (protocol: docs/protocol.md).
 *
 * Auth: session cookie or Bearer (JWT / API token) at the upgrade, or a first
 * `auth` message. The Origin, when sent (browsers always send it), must be the
 * server's own or allow-listed (cross-site websocket hijacking). Credentials are
 * re-checked periodically: an expired, revoked or disabled session closes the
 * socket (4002); a role change re-subscribes every view under the new role.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthService } from '../auth/plugin.js';
import type { Principal } from '../auth/principal.js';
import { PgliveError, isPgliveError } from '../errors.js';
import { CLOSE, ClientMessage, PROTOCOL_VERSION, type ServerMessage } from '../../protocol/live.js';
import { PgliveErrorFromWire, type LiveEngine, type Subscriber } from './engine.js';
import type { ViewSpec } from './evaluate.js';

export interface LiveLimits {
  /** max subscriptions per socket */
  readonly maxSubscriptions: number;
  /** max incoming message size in bytes */
  readonly maxMessageBytes: number;
  /** sustained incoming messages per second (bucket of 2 s worth) */
  readonly messagesPerSecond: number;
  /** bytes buffered on a socket above which it counts as slow (backpressure) */
  readonly highWaterBytes: number;
  /** how often credentials are re-checked (ms) */
  readonly sessionCheckMs: number;
  /** how long a socket may stay unauthenticated waiting for an `auth` message (ms) */
  readonly authTimeoutMs: number;
}

export const DEFAULT_LIMITS: LiveLimits = {
  maxSubscriptions: 100,
  maxMessageBytes: 64 * 1024,
  messagesPerSecond: 50,
  highWaterBytes: 1024 * 1024,
  sessionCheckMs: 15_000,
  authTimeoutMs: 5_000,
};

export interface LiveSocketDeps {
  readonly engine: LiveEngine;
  readonly auth: AuthService;
  readonly limits?: Partial<LiveLimits>;
}

type PendingAuth = { readonly kind: 'pending' };
/** refused at the upgrade: the socket is accepted and closed at once with a code a browser can read */
type Refused = { readonly kind: 'refused'; readonly code: number; readonly reason: string };
type UpgradeState = Principal | PendingAuth | Refused;

/** one subscription of a socket: a class, so ten thousand of them share their methods (no closures) */
class SocketSubscriber implements Subscriber {
  held: Subscriber['held'] = null;
  heldVersion = 0;
  view: Subscriber['view'] = null;

  constructor(
    readonly id: string,
    /** what was asked for (the view's own spec once subscribed: one copy per view, not per socket) */
    public spec: ViewSpec,
    readonly principal: Principal,
    private readonly conn: Connection,
  ) {}

  send(msg: ServerMessage): void {
    this.conn.send(msg);
  }

  sendText(text: string): void {
    this.conn.sendText(text);
  }

  backpressured(): boolean {
    return this.conn.socket.bufferedAmount > this.conn.limits.highWaterBytes;
  }
}

class Connection {
  principal: Principal | null = null;
  headers: IncomingHttpHeaders;
  readonly subs = new Map<string, SocketSubscriber>();
  /** messages refused in a row by the rate limit */
  dropped = 0;
  private tokens: number;
  private last = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: WebSocket,
    headers: IncomingHttpHeaders,
    private readonly deps: LiveSocketDeps,
    readonly limits: LiveLimits,
  ) {
    this.headers = headers;
    this.tokens = limits.messagesPerSecond * 2;
  }

  send(msg: ServerMessage): void {
    this.sendText(JSON.stringify(msg));
  }

  sendText(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }

  error(code: ConstructorParameters<typeof PgliveError>[0], message: string, id?: string): void {
    this.send({ type: 'error', ...(id ? { id } : {}), code, message });
  }

  allowMessage(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.messagesPerSecond * 2, this.tokens + ((now - this.last) / 1000) * this.limits.messagesPerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  authenticated(p: Principal): void {
    this.principal = p;
    this.send({ type: 'ready', protocol: PROTOCOL_VERSION, role: p.role, user: p.email });
    this.timer = setInterval(() => void this.recheck(), this.limits.sessionCheckMs);
    this.timer.unref();
  }

  /** Re-validate the credentials; a changed role re-subscribes under the new role. */
  async recheck(): Promise<void> {
    let p: Principal;
    try {
      p = await this.deps.auth.resolve({ headers: this.headers });
    } catch (e) {
      const msg = isPgliveError(e) ? e.message : 'credentials no longer valid';
      this.socket.close(CLOSE.SESSION_ENDED, msg.slice(0, 120));
      return;
    }
    const old = this.principal;
    if (!old || (old.role === p.role && JSON.stringify(old.claims) === JSON.stringify(p.claims))) return;
    this.principal = p;
    this.send({ type: 'ready', protocol: PROTOCOL_VERSION, role: p.role, user: p.email });
    // detach every view first, so no patch evaluated under the old role goes out after `ready`
    const specs = [...this.subs].map(([id, sub]) => {
      this.deps.engine.unsubscribe(sub);
      return [id, sub.spec] as const;
    });
    this.subs.clear();
    for (const [id, spec] of specs) await this.subscribe(id, spec, null);
  }

  async subscribe(id: string, spec: ViewSpec, resumeFrom: number | null): Promise<void> {
    const principal = this.principal!;
    const sub = new SocketSubscriber(id, spec, principal, this);
    this.subs.set(id, sub);
    try {
      await this.deps.engine.subscribe(sub, spec, resumeFrom);
      // the view was found by this spec (its key): keep the view's equal copy, one per view
      if (sub.view) sub.spec = sub.view.spec;
    } catch (e) {
      this.subs.delete(id);
      const body = e instanceof PgliveErrorFromWire ? e.body : (isPgliveError(e) ? e : new PgliveError('PGLIVE500', 'Subscription failed')).toBody();
      this.send({ type: 'error', id, ...body });
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const sub of this.subs.values()) this.deps.engine.unsubscribe(sub);
    this.subs.clear();
  }
}

export interface LiveSockets {
  broadcast(msg: ServerMessage): void;
  count(): number;
  closeAll(code: number, reason: string): void;
}

export function registerLiveSocket(app: FastifyInstance, deps: LiveSocketDeps): LiveSockets {
  const limits: LiveLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const connections = new Set<Connection>();

  void app.register(fastifyWebsocket, { options: { maxPayload: limits.maxMessageBytes } });
  void app.register(async (scope) => {
    scope.route({
      method: 'GET',
      url: '/live',
      // runs before the upgrade. Bad origins and bad credentials are not refused
      // with an HTTP status (a browser cannot read it and would retry forever):
      // the socket is accepted, nothing is processed, and it is closed with 4003 / 4001.
      preValidation: async (req: FastifyRequest) => {
        const r = req as FastifyRequest & { liveState?: UpgradeState };
        const origin = req.headers.origin;
        if (origin !== undefined && !deps.auth.checkOrigin(origin, req)) {
          r.liveState = { kind: 'refused', code: CLOSE.FORBIDDEN_ORIGIN, reason: `origin ${origin} not allowed` };
          return;
        }
        try {
          r.liveState = await deps.auth.resolve(req);
        } catch (e) {
          // no credentials at all: wait for an `auth` message
          r.liveState = isPgliveError(e) && e.code === 'PGRST302'
            ? { kind: 'pending' }
            : { kind: 'refused', code: CLOSE.UNAUTHENTICATED, reason: isPgliveError(e) ? e.message : 'invalid credentials' };
        }
      },
      handler: async () => {
        throw new PgliveError('PGLIVE105', '/live is a websocket endpoint: connect with Upgrade: websocket');
      },
      wsHandler: (socket: WebSocket, req: FastifyRequest) => {
        const initial = (req as FastifyRequest & { liveState?: UpgradeState }).liveState;
        if (!initial || initial.kind === 'refused') {
          socket.close(initial?.code ?? CLOSE.UNAUTHENTICATED, (initial?.reason ?? 'refused').slice(0, 120));
          return;
        }
        const conn = new Connection(socket, { ...req.headers }, deps, limits);
        connections.add(conn);
        let authTimer: NodeJS.Timeout | null = null;
        if (initial.kind !== 'pending') {
          conn.authenticated(initial);
        } else {
          authTimer = setTimeout(() => socket.close(CLOSE.UNAUTHENTICATED, 'authentication required'), limits.authTimeoutMs);
        }
        socket.on('message', (data: Buffer, isBinary: boolean) => {
          void onMessage(conn, data, isBinary).catch((e: unknown) => {
            req.log.error({ err: e }, 'live message failed');
            conn.error('PGLIVE500', 'Internal error');
          });
        });
        socket.on('close', () => {
          if (authTimer) clearTimeout(authTimer);
          conn.close();
          connections.delete(conn);
        });

        async function onMessage(c: Connection, data: Buffer, isBinary: boolean): Promise<void> {
          if (!c.allowMessage()) {
            c.dropped++;
            // a client that keeps flooding after being told is disconnected
            if (c.dropped > limits.messagesPerSecond * 2) socket.close(CLOSE.RATE_LIMITED, 'too many messages');
            else c.error('PGLIVE302', 'Too many messages: slow down');
            return;
          }
          c.dropped = 0;
          let parsed: unknown;
          try {
            parsed = JSON.parse(isBinary ? data.toString('utf8') : String(data));
          } catch {
            c.error('PGLIVE300', 'Message is not valid JSON');
            return;
          }
          const r = ClientMessage.safeParse(parsed);
          if (!r.success) {
            const id = typeof (parsed as { id?: unknown })?.id === 'string' ? (parsed as { id: string }).id : undefined;
            c.error('PGLIVE300', `Invalid message: ${r.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ')}`, id);
            return;
          }
          const msg = r.data;
          if (msg.type === 'ping') {
            c.send({ type: 'pong', ...(msg.t !== undefined ? { t: msg.t } : {}) });
            return;
          }
          if (msg.type === 'auth') {
            if (c.principal) {
              c.error('PGLIVE300', 'Already authenticated');
              return;
            }
            const headers = { ...c.headers, authorization: `Bearer ${msg.token}` };
            try {
              const p = await deps.auth.resolve({ headers });
              c.headers = headers;
              if (authTimer) clearTimeout(authTimer);
              c.authenticated(p);
            } catch (e) {
              socket.close(CLOSE.UNAUTHENTICATED, (isPgliveError(e) ? e.message : 'invalid credentials').slice(0, 120));
            }
            return;
          }
          if (!c.principal) {
            c.error('PGRST302', 'Authenticate first: send {"type":"auth","token":…}');
            return;
          }
          switch (msg.type) {
            case 'subscribe':
            case 'resume': {
              if (c.subs.has(msg.id)) {
                c.error('PGLIVE303', `Subscription id "${msg.id}" is already in use on this socket`, msg.id);
                return;
              }
              if (c.subs.size >= limits.maxSubscriptions) {
                c.error('PGLIVE301', `At most ${limits.maxSubscriptions} subscriptions per socket`, msg.id);
                return;
              }
              const spec: ViewSpec = { table: msg.table, schema: msg.schema ?? null, query: msg.query, count: msg.count };
              await c.subscribe(msg.id, spec, msg.type === 'resume' ? msg.version : null);
              return;
            }
            case 'unsubscribe': {
              const sub = c.subs.get(msg.id);
              if (sub) {
                deps.engine.unsubscribe(sub);
                c.subs.delete(msg.id);
              }
              return;
            }
            case 'resync': {
              const sub = c.subs.get(msg.id);
              if (!sub) c.error('PGLIVE304', `No subscription "${msg.id}"`, msg.id);
              else deps.engine.resync(sub);
              return;
            }
          }
        }
      },
    });
  });

  return {
    broadcast(msg) {
      for (const c of connections) if (c.principal) c.send(msg);
    },
    count: () => connections.size,
    closeAll(code, reason) {
      for (const c of connections) c.socket.close(code, reason);
    },
  };
}
