/** One entry, linked into the recency list. */
interface Node<K, V> {
  key: K;
  value: V;
  /** Towards the least recently used end. */
  older: Node<K, V> | undefined;
  /** Towards the most recently used end. */
  newer: Node<K, V> | undefined;
}

/**
 * A map that never holds more than `max` entries: reading an entry makes it the most recent, and adding one past
 * the bound drops the least recently used. A hash map finds the entry and a doubly linked list keeps the recency
 * order, so every operation is O(1). (Evicting through a `Map`'s insertion order instead is not: V8 leaves deleted
 * slots at the front of its table, and finding the first live key walks over them.)
 */
export class BoundedLru<K, V> {
  private readonly nodes = new Map<K, Node<K, V>>();
  private oldest: Node<K, V> | undefined;
  private newest: Node<K, V> | undefined;

  constructor(private max: number) {}

  get size(): number {
    return this.nodes.size;
  }

  /** The value, made most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const node = this.nodes.get(key);
    if (node === undefined) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node.value;
  }

  set(key: K, value: V): void {
    const existing = this.nodes.get(key);
    if (existing) {
      existing.value = value;
      this.get(key);
      return;
    }
    const node: Node<K, V> = { key, value, older: undefined, newer: undefined };
    this.nodes.set(key, node);
    this.append(node);
    this.trim();
  }

  delete(key: K): void {
    const node = this.nodes.get(key);
    if (!node) return;
    this.nodes.delete(key);
    this.unlink(node);
  }

  clear(): void {
    this.nodes.clear();
    this.oldest = undefined;
    this.newest = undefined;
  }

  /** Changes the bound; shrinking drops the least recently used entries at once. */
  resize(max: number): void {
    this.max = max;
    this.trim();
  }

  private trim(): void {
    while (this.nodes.size > this.max && this.oldest) this.delete(this.oldest.key);
  }

  private append(node: Node<K, V>): void {
    node.older = this.newest;
    node.newer = undefined;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }

  private unlink(node: Node<K, V>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = undefined;
    node.newer = undefined;
  }
}
