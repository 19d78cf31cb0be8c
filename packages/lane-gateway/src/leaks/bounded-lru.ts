/**
 * A map that never holds more than `max` entries: reading an entry makes it the most recent, and adding one past
 * the bound drops the least recently used. A `Map` keeps insertion order, so both are O(1): re-inserting moves a
 * key to the end, and the first key is the oldest.
 */
export class BoundedLru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private max: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, made most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.dropOldest(this.entries.size - this.max);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Changes the bound; shrinking drops the least recently used entries at once. */
  resize(max: number): void {
    this.max = max;
    if (this.entries.size > max) this.dropOldest(this.entries.size - max);
  }

  private dropOldest(count: number): void {
    const keys = this.entries.keys();
    for (let i = 0; i < count; i++) this.entries.delete(keys.next().value as K);
  }
}
