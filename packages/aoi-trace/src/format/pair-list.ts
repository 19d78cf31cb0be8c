// A growable list of (watcher, target) id pairs: the pairs the incremental predictor tests in a tick
// (incremental-pass.ts).

export class PairList {
  count = 0;
  watchers = new Int32Array(256);
  targets = new Int32Array(256);

  push(watcher: number, target: number): void {
    if (this.count === this.watchers.length) {
      const watchers = new Int32Array(this.count * 2);
      watchers.set(this.watchers);
      const targets = new Int32Array(this.count * 2);
      targets.set(this.targets);
      this.watchers = watchers;
      this.targets = targets;
    }
    this.watchers[this.count] = watcher;
    this.targets[this.count++] = target;
  }

  /** Appends every pair of `from`. */
  append(from: PairList): void {
    for (let i = 0; i < from.count; i++) this.push(from.watchers[i]!, from.targets[i]!);
  }
}
