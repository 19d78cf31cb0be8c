// A WebSocket client that writes hand-made frames (RFC 6455 section 5.2) on a raw TCP socket, to send what no
// well-behaved client library would: reserved bits, lying lengths, unmasked frames.

import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface FrameSpec {
  /** @default 0x1 (text) */
  readonly opcode?: number;
  readonly payload?: Buffer;
  /** @default true */
  readonly fin?: boolean;
  /** Sets RSV1 (compression, not negotiated here). */
  readonly rsv1?: boolean;
  /** Client frames must be masked. @default true */
  readonly mask?: boolean;
  /** The length written in the frame header, if not the payload's. */
  readonly declaredLength?: number;
}

/** One frame's bytes. */
export function frame(spec: FrameSpec): Buffer {
  const payload = spec.payload ?? Buffer.alloc(0);
  const length = spec.declaredLength ?? payload.length;
  const head = [((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (spec.opcode ?? 0x1)];
  const masked = spec.mask ?? true;
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (length < 126) head.push(maskBit | length);
  else if (length < 0x10000) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length);
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  if (!masked) return Buffer.concat([Buffer.from(head), extended, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((byte, i) => byte ^ key[i & 3]!));
  return Buffer.concat([Buffer.from(head), extended, key, body]);
}

export interface RawWebSocket {
  readonly socket: Socket;
  write(bytes: Buffer): void;
  /** The server's close frame (code and reason), or code 1006 when the TCP connection ended without one. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Opens `ws://host:port/path` by hand: the upgrade request, then frames as the test writes them. */
export async function openRawWebSocket(httpUrl: string, path = '/ingest'): Promise<RawWebSocket> {
  const url = new URL(httpUrl);
  const socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let received = Buffer.alloc(0);
  let upgraded = false;
  let onUpgrade: (() => void) | undefined;
  let onFail: ((error: Error) => void) | undefined;
  let settle: (value: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    settle = resolve;
  });
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (!upgraded) {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = received.subarray(0, received.indexOf('\r\n')).toString();
      if (!status.includes(' 101 ')) return onFail?.(new Error(`no upgrade: ${status}`));
      upgraded = true;
      received = received.subarray(end + 4);
      onUpgrade?.();
    }
    // Server frames are unmasked and, here, short: find a close frame (opcode 8).
    while (received.length >= 2) {
      const length = received[1]! & 0x7f;
      if (length >= 126 || received.length < 2 + length) return;
      if ((received[0]! & 0x0f) === 0x8) {
        const body = received.subarray(2, 2 + length);
        settle({ code: body.length >= 2 ? body.readUInt16BE(0) : 1005, reason: body.subarray(2).toString() });
      }
      received = received.subarray(2 + length);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => settle({ code: 1006, reason: '' }));
  await new Promise<void>((resolve, reject) => {
    onUpgrade = resolve;
    onFail = reject;
  });
  return { socket, write: (bytes) => socket.write(bytes), closed };
}
