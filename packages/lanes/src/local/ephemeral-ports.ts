import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Where Linux keeps the range it picks a connection's own (source) port from: two integers, the first and the last
 * port (Documentation/networking/ip-sysctl, "ip_local_port_range"; 32768 60999 by default).
 */
export const EPHEMERAL_PORT_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';

/** The file is two short numbers; more than this is not that file. */
const MAX_BYTES = 64;

export interface EphemeralRangeSource {
  /** @default EPHEMERAL_PORT_RANGE_FILE */
  file?: string;
  /** @default process.platform */
  platform?: NodeJS.Platform;
}

/**
 * The kernel's ephemeral port range, or undefined where it cannot be known: not Linux, the file unreadable, or not
 * two ports in order (nothing to warn about then).
 */
export function readEphemeralPortRange(source: EphemeralRangeSource = {}): [number, number] | undefined {
  if ((source.platform ?? process.platform) !== 'linux') return undefined;
  let text: string;
  try {
    const fd = openSync(source.file ?? EPHEMERAL_PORT_RANGE_FILE, 'r');
    try {
      const buffer = Buffer.alloc(MAX_BYTES);
      text = buffer.subarray(0, readSync(fd, buffer, 0, MAX_BYTES, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const match = /^\s*(\d{1,5})\s+(\d{1,5})\s*$/.exec(text);
  const [first, last] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  return first >= 1 && first <= last && last <= 65535 ? [first, last] : undefined;
}

/** The ports two inclusive ranges share, or undefined when they share none. */
export function sharedPorts(a: readonly [number, number], b: readonly [number, number]): [number, number] | undefined {
  const first = Math.max(a[0], b[0]);
  const last = Math.min(a[1], b[1]);
  return first <= last ? [first, last] : undefined;
}
