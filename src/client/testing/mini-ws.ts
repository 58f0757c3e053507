/**
 * TEST-ONLY WebSocket client with the standard interface subset LiveClient
 * uses, for Node 20 without --experimental-websocket and without the `ws`
 * package. Events fire asynchronously, as in browsers.
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { acceptKey, FrameSocket } from './frames.js';
import type { WebSocketLike } from '../client.js';

type Handler = ((ev: any) => void) | null;

export class MiniWebSocket implements WebSocketLike {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  readyState = 0;
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  #frames: FrameSocket | null = null;

  constructor(readonly url: string, options?: { headers?: Record<string, string> }) {
    const u = new URL(url);
    if (u.protocol !== 'ws:') throw new SyntaxError(`MiniWebSocket: only ws: URLs, got ${url}`);
    const key = randomBytes(16).toString('base64');
    const req = request({
      host: u.hostname,
      port: u.port,
      path: u.pathname + u.search,
      headers: {
        ...options?.headers,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': '13',
      },
    });
    req.on('upgrade', (res, socket: Socket, head: Buffer) => {
      if (res.headers['sec-websocket-accept'] !== acceptKey(key)) {
        socket.destroy();
        this.#fail();
        return;
      }
      if (this.readyState !== 0) {
        socket.destroy(); // closed before the handshake finished
        return;
      }
      this.readyState = 1;
      this.#frames = new FrameSocket(socket, true, {
        text: (data) => this.onmessage?.({ type: 'message', data }),
        close: (code, reason) => {
          this.readyState = 3;
          this.onclose?.({ type: 'close', code, reason, wasClean: code !== 1006 });
        },
      });
      this.onopen?.({ type: 'open' });
      this.#frames.feed(head); // the server may have sent messages right behind its 101
    });
    req.on('response', (res) => {
      res.resume();
      this.#fail();
    });
    req.on('error', () => this.#fail());
    req.end();
  }

  send(data: string): void {
    if (this.readyState === 0) throw new Error('InvalidStateError: still connecting');
    this.#frames?.sendText(data);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    if (this.readyState === 0) {
      this.readyState = 3;
      setTimeout(() => this.onclose?.({ type: 'close', code: 1006, reason: '', wasClean: false }));
      return;
    }
    this.readyState = 2;
    this.#frames?.close(code, reason);
  }

  #fail(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onerror?.({ type: 'error' });
    this.onclose?.({ type: 'close', code: 1006, reason: '', wasClean: false });
  }
}
