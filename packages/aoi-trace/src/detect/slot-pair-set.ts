// The pairs of slots handed over in one tick, so a pair is handed over once: a pair whose side changed usually has
// its event in the same tick too (~40% of a dense tick's handed pairs were such repeats), and each repeat cost the
// detectors another decision with two view lookups. Open addressing over flat Int32Arrays; `clear` is O(1) (an
// epoch per entry), so a tick pays only for the pairs it adds.

export class SlotPairSet {
  private watchers = new Int32Array(1 << 12);
  private targets = new Int32Array(1 << 12);
  /** The epoch an entry was written in; older entries are empty. */
  private epochs = new Int32Array(1 << 12);
  private epoch = 1;
  private count = 0;

  /** Empties the set. */
  clear(): void {
    this.count = 0;
    this.epoch++;
    if (this.epoch === 0x7fffffff) {
      this.epochs.fill(0);
      this.epoch = 1;
    }
  }

  /** Adds the pair (slots >= 0); false when it was there already. */
  add(w: number, t: number): boolean {
    if (2 * (this.count + 1) > this.epochs.length) this.grow();
    const mask = this.epochs.length - 1;
    const { watchers, targets, epochs, epoch } = this;
    let at = pairHash(w, t) & mask;
    while (epochs[at] === epoch) {
      if (watchers[at] === w && targets[at] === t) return false;
      at = (at + 1) & mask;
    }
    epochs[at] = epoch;
    watchers[at] = w;
    targets[at] = t;
    this.count++;
    return true;
  }

  private grow(): void {
    const { watchers, targets, epochs, epoch } = this;
    const size = epochs.length * 2;
    this.watchers = new Int32Array(size);
    this.targets = new Int32Array(size);
    this.epochs = new Int32Array(size);
    this.count = 0;
    for (let i = 0; i < epochs.length; i++) if (epochs[i] === epoch) this.add(watchers[i]!, targets[i]!);
  }
}

/** The hash of a pair of int32s for open addressing (mask its low bits). */
export function pairHash(w: number, t: number): number {
  return (Math.imul(w, 0x9e3779b1) ^ Math.imul(t + 0x7f4a7c15, 0x85ebca77)) >>> 7;
}
