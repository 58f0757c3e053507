/**
 * TEST-ONLY scripted live server: accepts websocket upgrades on 127.0.0.1:0,
 * records what clients send, and lets a test send whatever it wants back,
 * including invalid messages. Not a database test: the server side of the
 * protocol is scripted so the client's behaviour can be pinned exactly.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { acceptKey, FrameSocket } from './frames.js';
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../../protocol/live.js';

const WAIT_MS = 3000;

export function within<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface FakeServerOptions {
  /** answer `ping` with `pong` (default true) */
  autoPong?: boolean;
  /** send `ready` on connect (default), or only after an `auth` message with this token */
  token?: string;
}

export class FakeConnection {
  /** client messages, pings excluded */
  readonly received: ClientMessage[] = [];
  pings = 0;
  closeInfo: { code: number; reason: string } | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  #cursor = 0;
  #waiters: (() => void)[] = [];
  readonly frames: FrameSocket;

  constructor(
    readonly headers: IncomingHttpHeaders,
    socket: Socket,
    head: Buffer,
    readonly options: FakeServerOptions,
  ) {
    let onClosed!: (info: { code: number; reason: string }) => void;
    this.closed = new Promise((resolve) => (onClosed = resolve));
    this.frames = new FrameSocket(socket, false, {
      text: (data) => this.#onText(data),
      close: (code, reason) => {
        this.closeInfo = { code, reason };
        onClosed(this.closeInfo);
        this.#wake();
      },
    });
    this.frames.feed(head);
    if (options.token === undefined) this.send({ type: 'ready', protocol: PROTOCOL_VERSION, role: 'web_user', user: 'u1' });
  }

  send(msg: ServerMessage): void {
    this.frames.sendText(JSON.stringify(msg));
  }

  sendRaw(text: string): void {
    this.frames.sendText(text);
  }

  close(code: number, reason = ''): void {
    this.frames.close(code, reason);
  }

  /** cut the TCP connection without a close frame */
  drop(): void {
    this.frames.socket.destroy();
  }

  /** the next message not yet consumed by next() */
  async next<T extends ClientMessage['type']>(type?: T): Promise<Extract<ClientMessage, { type: T }>> {
    return within(
      (async () => {
        for (;;) {
          while (this.#cursor < this.received.length) {
            const msg = this.received[this.#cursor++]!;
            if (type === undefined || msg.type === type) return msg as Extract<ClientMessage, { type: T }>;
            throw new Error(`expected a ${type} message, got ${JSON.stringify(msg)}`);
          }
          if (this.closeInfo) throw new Error('connection closed while waiting for a message');
          await new Promise<void>((resolve) => this.#waiters.push(resolve));
        }
      })(),
      `waiting for ${type ?? 'a message'}`,
    );
  }

  #onText(data: string): void {
    const msg = JSON.parse(data) as ClientMessage;
    if (msg.type === 'ping') {
      this.pings++;
      if (this.options.autoPong !== false) this.send({ type: 'pong', ...(msg.t !== undefined ? { t: msg.t } : {}) });
      return;
    }
    if (msg.type === 'auth' && this.options.token !== undefined) {
      if (msg.token === this.options.token) this.send({ type: 'ready', protocol: PROTOCOL_VERSION, role: 'web_user', user: 'u1' });
      else this.close(4001, 'bad token');
    }
    this.received.push(msg);
    this.#wake();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];
  #waiters: ((c: FakeConnection) => void)[] = [];
  #seen = 0;

  private constructor(
    readonly http: Server,
    readonly url: string,
  ) {}

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const http = createServer((_req, res) => res.writeHead(426).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const server = new FakeServer(http, `ws://127.0.0.1:${port}/live`);
    http.on('upgrade', (req, socket: Socket, head: Buffer) => {
      const key = req.headers['sec-websocket-key'];
      if (typeof key !== 'string' || req.url !== '/live') {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
        return;
      }
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
      );
      const conn = new FakeConnection(req.headers, socket, head, options);
      server.connections.push(conn);
      const waiters = server.#waiters;
      server.#waiters = [];
      for (const w of waiters) w(conn);
    });
    return server;
  }

  /** the next connection not yet returned by nextConnection() */
  nextConnection(): Promise<FakeConnection> {
    const i = this.#seen++;
    const existing = this.connections[i];
    if (existing) return Promise.resolve(existing);
    return within(
      new Promise<FakeConnection>((resolve) => {
        const wait = () => {
          const c = this.connections[i];
          if (c) resolve(c);
          else this.#waiters.push(wait);
        };
        wait();
      }),
      'waiting for a connection',
    );
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.drop();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
