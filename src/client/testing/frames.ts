/**
 * TEST-ONLY minimal RFC 6455 framing over a node:net socket, for the fake live
 * server and the fallback test client. It exists because no websocket package
 * (`ws`) is installed and Node 20 has no WebSocket server; it implements just
 * what the protocol tests use: text frames (any length, fragmented on input),
 * ping/pong and the close handshake. No extensions, no binary API.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';

export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP = { CONT: 0, TEXT: 1, BINARY: 2, CLOSE: 8, PING: 9, PONG: 10 } as const;

export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WS_GUID).digest('base64');
}

function encodeFrame(opcode: number, payload: Buffer, mask: boolean): Buffer {
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + ext + (mask ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (mask ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) head.writeUInt16BE(len, 2);
  if (ext === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  key.copy(head, 2 + ext);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= key[i & 3]!;
  return Buffer.concat([head, body]);
}

export interface FrameSocketHandlers {
  text(data: string): void;
  close(code: number, reason: string): void;
}

/** One side of a websocket connection after the handshake. `mask`: true on the client side. */
export class FrameSocket {
  #buf = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #closeSent = false;
  #closeInfo: [number, string] = [1006, ''];
  #done = false;

  constructor(
    readonly socket: Socket,
    readonly mask: boolean,
    readonly on: FrameSocketHandlers,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#read(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (this.#done) return;
      this.#done = true;
      this.on.close(...this.#closeInfo);
    });
  }

  /** bytes that arrived with the handshake (call once the owner is ready for events) */
  feed(head: Buffer): void {
    if (head.length > 0) this.#read(head);
  }

  get open(): boolean {
    return !this.#closeSent && !this.#done;
  }

  sendText(text: string): void {
    if (this.open) this.socket.write(encodeFrame(OP.TEXT, Buffer.from(text, 'utf8'), this.mask));
  }

  close(code = 1000, reason = ''): void {
    if (!this.open) return;
    this.#closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.write(encodeFrame(OP.CLOSE, payload, this.mask));
    this.#closeInfo = [code, reason];
    // the peer answers with its close frame and we end then; don't wait forever for a dead peer
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  #read(chunk: Buffer): void {
    this.#buf = Buffer.concat([this.#buf, chunk]);
    for (;;) {
      const b = this.#buf;
      if (b.length < 2) return;
      const fin = (b[0]! & 0x80) !== 0;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let len = b[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      const keyAt = at;
      if (masked) at += 4;
      if (b.length < at + len) return;
      const payload = Buffer.from(b.subarray(at, at + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= b[keyAt + (i & 3)]!;
      this.#buf = b.subarray(at + len);
      this.#frame(fin, opcode, payload);
    }
  }

  #frame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OP.PING:
        if (this.open) this.socket.write(encodeFrame(OP.PONG, payload, this.mask));
        return;
      case OP.PONG:
        return;
      case OP.CLOSE: {
        const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        const reason = payload.subarray(2).toString('utf8');
        if (!this.#closeSent) {
          this.#closeSent = true;
          this.#closeInfo = [code, reason];
          this.socket.write(encodeFrame(OP.CLOSE, payload.subarray(0, 2), this.mask));
        }
        this.socket.end();
        return;
      }
      case OP.TEXT:
      case OP.BINARY:
      case OP.CONT:
        this.#fragments.push(payload);
        if (!fin) return;
        this.on.text(Buffer.concat(this.#fragments).toString('utf8'));
        this.#fragments = [];
        return;
      default:
        this.socket.destroy();
    }
  }
}
