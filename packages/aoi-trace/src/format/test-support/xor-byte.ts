/** Damages a file in memory: `bytes[at] ^= mask`, for an `at` the caller keeps inside the buffer. */
export function xorByte(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = (bytes[at] ?? 0) ^ mask;
}
