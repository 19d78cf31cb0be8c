import { randomFillSync } from 'node:crypto';

// One pooled buffer refilled in bulk: ids are minted per proxied request, and one syscall per id would dominate.
const pool = Buffer.allocUnsafe(4096);
let offset = pool.length;

function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    // All-zero ids are invalid in traceparent; with 64+ random bits this loops again essentially never.
    let zero = true;
    for (let i = start; i < offset; i++) {
      if (pool[i] !== 0) {
        zero = false;
        break;
      }
    }
    if (!zero) return pool.toString('hex', start, offset);
  }
}

/** A new 16-byte trace id from a CSPRNG: never all-zero, every byte random (so the random flag may be set). */
export function newTraceId(): string {
  return randomHex(16);
}

/** A new 8-byte span (parent) id from a CSPRNG, never all-zero. */
export function newSpanId(): string {
  return randomHex(8);
}
