// The thread layouts that bench/aoi/workers.js and peer-ab.js compare, spelled on the command line as `n` (option
// `workers: n`: the caller's thread and n - 1 worker threads; 0 and 1 are one thread) or `n:wait` (`workers: n,
// callerShare: false`: n worker threads while the caller only waits). A build from before 2026-12-07 reads
// `workers: n` as n worker threads beside a waiting caller, so a peer build gets the options that mean the same
// layout to it (optionsFor, readsWorkersAsThreads).

/**
 * @typedef {object} Layout
 * @property {string} spec as given on the command line
 * @property {number} workers the option's n
 * @property {number} threads worker threads the world starts (0: the plain single-threaded grid)
 * @property {boolean} callerShare whether the caller's thread takes a share
 * @property {string} label the layout said plainly, for the tables
 */

/** @param {string} spec */
export function parseLayout(spec) {
  const match = /^(\d{1,2})(:wait)?$/.exec(spec);
  const workers = Number(match?.[1]);
  const wait = match?.[2] !== undefined;
  if (match === null || workers > 64 || (wait && workers < 1)) {
    throw new Error(`--workers: "${spec}" is neither n (0-64: workers: n) nor n:wait (1-64: callerShare: false).`);
  }
  const threads = wait ? workers : Math.max(0, workers - 1);
  const callerShare = !wait && threads > 0;
  const label =
    threads === 0
      ? `\`workers: ${workers}\` (one thread${workers === 0 ? ', default' : ''})`
      : wait
        ? `\`workers: ${workers}, callerShare: false\` (${threads} worker thread${threads === 1 ? '' : 's'}, caller waits)`
        : `\`workers: ${workers}\` (caller + ${threads} worker thread${threads === 1 ? '' : 's'})`;
  return /** @type {Layout} */ ({ spec, workers, threads, callerShare, label });
}

/**
 * Whether a build's AoiWorld reads `workers: n` as n worker threads (before 2026-12-07) rather than n threads with
 * the caller's. The builds that count the caller's thread are the ones that check `callerShare` (the same change), so
 * a bad `callerShare` tells them apart without starting a thread.
 * @param {new (options: object) => { close(): Promise<void> }} World
 */
export async function readsWorkersAsThreads(World) {
  try {
    await new World({ callerShare: 'probe' }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * The world options that give `layout` on a build.
 * @param {Layout} layout
 * @param {boolean} [oldMeaning] the build reads `workers: n` as n worker threads (readsWorkersAsThreads)
 */
export function optionsFor(layout, oldMeaning = false) {
  if (oldMeaning) return { workers: layout.threads, ...(layout.callerShare ? { callerShare: true } : {}) };
  return { workers: layout.workers, ...(layout.threads > 0 && !layout.callerShare ? { callerShare: false } : {}) };
}
