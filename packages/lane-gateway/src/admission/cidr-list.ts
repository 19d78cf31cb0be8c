import { parseIpAddress } from './ip-address.js';

/** Why a CIDR text was refused, for a config issue; `undefined` when it is valid. */
export function cidrProblem(text: string): string | undefined {
  const slash = text.indexOf('/');
  const scratch = new Uint32Array(4);
  const family = parseIpAddress(text, scratch, 0, slash < 0 ? text.length : slash);
  if (family === 0) return 'expected an IPv4 or IPv6 address with an optional /prefix, e.g. "10.0.0.0/8" or "fc00::/7"';
  if (slash < 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
    return `the prefix length must be a whole number from 0 to ${max}`;
  return undefined;
}

/** Reused by `contains`, so checking a peer address allocates nothing. */
const address = new Uint32Array(4);

/**
 * A set of CIDR ranges with network and mask precomputed as flat words, so a lookup is a few AND-compares per
 * range. IPv4 ranges are stored IPv4-mapped (`10.0.0.0/8` is `::ffff:10.0.0.0/104`).
 */
export class CidrList {
  private readonly networks: Uint32Array;
  private readonly masks: Uint32Array;
  readonly size: number;

  /** @param cidrs valid CIDR texts (see {@link cidrProblem}); an invalid one throws. */
  constructor(cidrs: readonly string[]) {
    this.size = cidrs.length;
    this.networks = new Uint32Array(cidrs.length * 4);
    this.masks = new Uint32Array(cidrs.length * 4);
    cidrs.forEach((cidr, index) => {
      const problem = cidrProblem(cidr);
      if (problem) throw new Error(`invalid CIDR "${cidr}": ${problem}`);
      const slash = cidr.indexOf('/');
      const family = parseIpAddress(cidr, address, 0, slash < 0 ? cidr.length : slash);
      const bits = family === 4 ? 32 : 128;
      const prefix = (slash < 0 ? bits : Number(cidr.slice(slash + 1))) + (128 - bits);
      for (let w = 0; w < 4; w++) {
        const inWord = Math.min(Math.max(prefix - w * 32, 0), 32);
        const mask = inWord === 0 ? 0 : (0xffffffff << (32 - inWord)) >>> 0;
        this.masks[index * 4 + w] = mask;
        this.networks[index * 4 + w] = (address[w]! & mask) >>> 0;
      }
    });
  }

  /** True when `text[start, end)` is an IP address inside one of the ranges; false for anything unparsable. */
  contains(text: string, start = 0, end = text.length): boolean {
    if (this.size === 0 || parseIpAddress(text, address, start, end) === 0) return false;
    const { networks, masks } = this;
    for (let base = 0; base < networks.length; base += 4) {
      if (
        (address[0]! & masks[base]!) >>> 0 === networks[base] &&
        (address[1]! & masks[base + 1]!) >>> 0 === networks[base + 1] &&
        (address[2]! & masks[base + 2]!) >>> 0 === networks[base + 2] &&
        (address[3]! & masks[base + 3]!) >>> 0 === networks[base + 3]
      ) {
        return true;
      }
    }
    return false;
  }
}
