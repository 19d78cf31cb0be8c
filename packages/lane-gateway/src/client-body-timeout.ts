import type { IncomingMessage } from 'node:http';

/**
 * Notices an upload that stalls: no byte of the request body for `ms` while the gateway waits for one. Without
 * it a client that stops sending holds an upstream connection for ever (Node's `requestTimeout` bounds the whole
 * request, which would cut long uploads; the gateway sets it to 0). It reads the socket's byte count instead of
 * listening for `data`, which would switch the body stream to flowing mode under undici's feet; so a stall is
 * noticed between one and two times `ms` after the last byte.
 */
export class ClientBodyTimeout {
  private timer: NodeJS.Timeout | undefined;
  private lastBytes: number;

  constructor(
    private readonly req: IncomingMessage,
    private readonly ms: number,
    private readonly onStall: () => void,
  ) {
    this.lastBytes = req.socket.bytesRead;
    if (!req.complete) this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.timer = setTimeout(this.check, this.ms);
    this.timer.unref();
  }

  private readonly check = (): void => {
    this.timer = undefined;
    const { req } = this;
    if (req.complete || req.destroyed) return;
    const bytes = req.socket?.bytesRead ?? this.lastBytes;
    // Body still buffered: the replica is slow to take it, which is not the client's doing.
    if (bytes !== this.lastBytes || req.readableLength > 0) {
      this.lastBytes = bytes;
      this.arm();
      return;
    }
    this.onStall();
  };
}
