/**
 * Per bucket, the id of the last scan that visited it, so one scan reads a bucket once even when several cells hash
 * to it (the grid's hash table and the late adds' index both need this).
 */
export class VisitStamps {
  private visited = new Int32Array(1);
  private scan = 0;

  /** Sizes the table for `buckets` buckets (forgetting every stamp). */
  reset(buckets: number): void {
    this.visited = new Int32Array(buckets);
    this.scan = 0;
  }

  /** Starts a new scan; returns its id for {@link claim}. */
  nextScan(): number {
    if (this.scan === 0x7fffffff) {
      this.visited.fill(0);
      this.scan = 0;
    }
    return ++this.scan;
  }

  /** True the first time bucket `h` is claimed in scan `scan`. */
  claim(h: number, scan: number): boolean {
    if (this.visited[h] === scan) return false;
    this.visited[h] = scan;
    return true;
  }
}
