/** Maps tag names to bits of the wire's 32-bit tag masks: the header's names first, others as they are seen. */
export class TagTable {
  readonly names: string[] = [];
  private readonly bits = new Map<string, number>();

  constructor(initial: readonly string[] = []) {
    for (const name of initial) this.bitOf(name);
  }

  /** The mask of `tags`; names beyond the 32nd distinct one are left out of masks (still searchable by name). */
  maskOf(tags: readonly string[]): number {
    let mask = 0;
    for (const tag of tags) {
      const bit = this.bitOf(tag);
      if (bit >= 0) mask |= 1 << bit;
    }
    return mask >>> 0;
  }

  private bitOf(name: string): number {
    const known = this.bits.get(name);
    if (known !== undefined) return known;
    if (this.names.length >= 32) return -1;
    const bit = this.names.push(name) - 1;
    this.bits.set(name, bit);
    return bit;
  }
}
