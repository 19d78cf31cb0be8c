// Growable event columns: the predictor's output and the deviation codec's scratch.

import type { EventColumns } from '../model/types.js';

/** Growable event columns. */
export class EventBuffer {
  count = 0;
  kinds = new Uint8Array(256);
  watchers = new Int32Array(256);
  targets = new Int32Array(256);

  push(kind: number, watcher: number, target: number): void {
    if (this.count === this.kinds.length) this.reserve(this.count + 1);
    this.kinds[this.count] = kind;
    this.watchers[this.count] = watcher;
    this.targets[this.count] = target;
    this.count++;
  }

  append(other: EventBuffer): void {
    this.reserve(this.count + other.count);
    this.kinds.set(other.kinds.subarray(0, other.count), this.count);
    this.watchers.set(other.watchers.subarray(0, other.count), this.count);
    this.targets.set(other.targets.subarray(0, other.count), this.count);
    this.count += other.count;
  }

  reserve(size: number): void {
    if (size <= this.kinds.length) return;
    let next = this.kinds.length;
    while (next < size) next *= 2;
    const kinds = new Uint8Array(next);
    kinds.set(this.kinds);
    const watchers = new Int32Array(next);
    watchers.set(this.watchers);
    const targets = new Int32Array(next);
    targets.set(this.targets);
    this.kinds = kinds;
    this.watchers = watchers;
    this.targets = targets;
  }

  /** One watcher's events: an insertion sort by target (a target has one event per pair and tick). */
  sortByTarget(): void {
    const { kinds, targets } = this;
    for (let i = 1; i < this.count; i++) {
      const t = targets[i]!;
      const k = kinds[i]!;
      let j = i - 1;
      while (j >= 0 && targets[j]! > t) {
        targets[j + 1] = targets[j]!;
        kinds[j + 1] = kinds[j]!;
        j--;
      }
      targets[j + 1] = t;
      kinds[j + 1] = k;
    }
  }

  columns(): EventColumns {
    return {
      count: this.count,
      kinds: this.kinds.subarray(0, this.count),
      watchers: this.watchers.subarray(0, this.count),
      targets: this.targets.subarray(0, this.count),
    };
  }
}
