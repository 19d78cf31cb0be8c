// `node bench/aoi/workers.js --phases 1`: the load-independent account of a parallel tick. The engine's phase clock
// (packages/aoi/src/parallel-phases.ts) times each phase on each thread as wall time minus the thread's run-queue
// delay, i.e. time on a CPU (or blocked, in the waits), however loaded the machine is; this file adds the bench's own
// phases on the caller (the moves before a tick, the rest of the tick after the merge: decoding the batch and
// clearing the dirty flags, and hashing the events) and sums it up as serial work S on the caller, each share's
// work, and the wake-up gaps. On 2 idle cores a tick takes about S + the busiest share + the gaps.
import { existsSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The phase clock of the build whose dist/index.js is `indexUrl`, or null when that build has none (an older peer).
 * @param {string} indexUrl
 */
export async function loadPhaseClock(indexUrl) {
  const url = new URL('./parallel-phases.js', indexUrl);
  if (!existsSync(fileURLToPath(url))) return null;
  return /** @type {import('../../packages/aoi/src/parallel-phases.ts')} */ (await import(url.href));
}

let fd = -1;
const text = Buffer.alloc(96);
/** Wall ms and this thread's run-queue delay ms. */
export function stamp() {
  if (fd < 0) fd = openSync('/proc/thread-self/schedstat', 'r');
  const n = readSync(fd, text, 0, text.length, 0);
  const delay = Number(text.toString('latin1', 0, n).split(' ')[1]) / 1e6;
  return { wall: performance.now(), delay };
}

/** Time on a CPU between two stamps. @param {ReturnType<typeof stamp>} a @param {ReturnType<typeof stamp>} b */
export const onCpu = (a, b) => b.wall - a.wall - (b.delay - a.delay);

/**
 * Per-tick accumulator of one run.
 * @param {NonNullable<Awaited<ReturnType<typeof loadPhaseClock>>>} clock
 */
export function phaseRun(clock) {
  const { MainPhase: M, SharePhase: P } = clock;
  let last = clock.readPhaseClock();
  const sum = {
    moves: 0,
    skin: 0,
    dispatch: 0,
    own: 0,
    wait: 0,
    wakeBack: 0,
    merge: 0,
    rebuildSerial: 0,
    rest: 0,
    hash: 0,
    /** Per share: work, barrier, finish, sort, copy, wake, merge, skin (sums over ticks). */
    shares: /** @type {number[][]} */ ([]),
    /** Sum over ticks of each tick's busiest share (work + finish + sort + copy). */
    busiest: 0,
    ticks: 0,
  };
  return {
    /**
     * One tick: the bench's stamps before the moves, after them, after tick(), after hashing.
     * @param {ReturnType<typeof stamp>[]} s
     */
    tick(s) {
      const now = clock.readPhaseClock();
      const d = (/** @type {number} */ row, /** @type {number} */ phase, /** @type {'wall' | 'delay'} */ f) =>
        (now[row]?.[f][phase] ?? 0) - (last[row]?.[f][phase] ?? 0);
      const cpu = (/** @type {number} */ row, /** @type {number} */ phase) =>
        d(row, phase, 'wall') - d(row, phase, 'delay');
      const main = [M.Skin, M.Dispatch, M.Own, M.Wait, M.Merge, M.RebuildSerial];
      let inAlgorithm = 0;
      for (const phase of main) inAlgorithm += cpu(0, phase);
      sum.moves += onCpu(s[0], s[1]);
      sum.skin += cpu(0, M.Skin);
      sum.dispatch += cpu(0, M.Dispatch);
      sum.own += cpu(0, M.Own);
      sum.wait += cpu(0, M.Wait);
      sum.wakeBack += cpu(0, M.WakeBack);
      sum.merge += cpu(0, M.Merge);
      sum.rebuildSerial += cpu(0, M.RebuildSerial);
      sum.rest += onCpu(s[1], s[2]) - inAlgorithm;
      sum.hash += onCpu(s[2], s[3]);
      let busiest = 0;
      for (let row = 1; row < now.length; row++) {
        const work = cpu(row, P.Work);
        // Older builds have no Merge or Skin phase: their reads are 0.
        const merge = P.Merge === undefined ? 0 : cpu(row, P.Merge);
        const skin = P.Skin === undefined ? 0 : cpu(row, P.Skin);
        const busy = work + cpu(row, P.Finish) + cpu(row, P.Sort) + cpu(row, P.Copy) + merge + skin;
        if (busy === 0 && d(row, P.Wake, 'wall') === 0) continue;
        const parts = [work, cpu(row, P.Barrier), cpu(row, P.Finish), cpu(row, P.Sort), cpu(row, P.Copy)];
        parts.push(cpu(row, P.Wake), merge, skin);
        if (sum.shares[row - 1] === undefined) sum.shares[row - 1] = [0, 0, 0, 0, 0, 0, 0, 0];
        const acc = /** @type {number[]} */ (sum.shares[row - 1]);
        for (let i = 0; i < parts.length; i++)
          acc[i] = /** @type {number} */ (acc[i]) + /** @type {number} */ (parts[i]);
        busiest = Math.max(busiest, busy);
      }
      sum.busiest += busiest;
      sum.ticks++;
      last = now;
    },
    /** Ms per tick of every part, and the account's totals. */
    result() {
      const t = Math.max(1, sum.ticks);
      const per = (/** @type {number} */ v) => v / t;
      const shares = sum.shares.map((acc) => acc.map(per));
      const serial = per(sum.moves + sum.skin + sum.dispatch + sum.merge + sum.rebuildSerial + sum.rest + sum.hash);
      const work = shares.reduce(
        (a, s) => a + (s[0] ?? 0) + (s[2] ?? 0) + (s[3] ?? 0) + (s[4] ?? 0) + (s[6] ?? 0) + (s[7] ?? 0),
        0,
      );
      const wake = shares.length === 0 ? 0 : Math.max(...shares.map((s) => s[5] ?? 0));
      return {
        moves: per(sum.moves),
        skin: per(sum.skin),
        dispatch: per(sum.dispatch),
        own: per(sum.own),
        wait: per(sum.wait),
        wakeBack: per(sum.wakeBack),
        merge: per(sum.merge),
        rebuildSerial: per(sum.rebuildSerial),
        rest: per(sum.rest),
        hash: per(sum.hash),
        shares,
        serial,
        work,
        busiest: per(sum.busiest),
        wake,
        /** What a tick takes with a core per thread: the serial part, the busiest share, the wake-up gaps. */
        ideal: serial + per(sum.busiest) + wake + per(sum.wakeBack),
      };
    },
  };
}

/** @typedef {ReturnType<ReturnType<typeof phaseRun>['result']>} Account */

/** @param {number} v */
const f2 = (v) => v.toFixed(2);

/**
 * The account's table: medians over runs. The single thread's row has only the caller's parts (its tick is all P).
 * @param {Array<{ label: string, accounts: Account[], single?: { moves: number, tick: number, hash: number }[] }>} rows
 * @param {(values: number[]) => number} median
 */
export function accountTable(rows, median) {
  const out = [
    '| Engine | moves | skin test | dispatch | merge | rebuild, caller | decode + rest | hash | **S** | shares: work / sort+copy / skin+merge (ms, each) | barrier | wake / wake-back | **S/(S+P)** | S + busiest + gaps | imbalance |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const m = (/** @type {(a: Account) => number} */ f) => median(row.accounts.map(f));
    if (row.single !== undefined) {
      const s = (/** @type {(a: { moves: number, tick: number, hash: number }) => number} */ f) =>
        median((row.single ?? []).map(f));
      const serial = s((a) => a.moves + a.hash);
      out.push(
        `| ${row.label} | ${f2(s((a) => a.moves))} | - | - | - | - | (in the tick) | ${f2(s((a) => a.hash))} | ${f2(serial)} | the tick: ${f2(s((a) => a.tick))} | - | - | ${f2(serial / (serial + s((a) => a.tick)))} | ${f2(serial + s((a) => a.tick))} | - |`,
      );
      continue;
    }
    const shares = row.accounts[0]?.shares.length ?? 0;
    const each = Array.from({ length: shares }, (_, k) => {
      const work = m((a) => (a.shares[k]?.[0] ?? 0) + (a.shares[k]?.[2] ?? 0));
      const sortCopy = m((a) => (a.shares[k]?.[3] ?? 0) + (a.shares[k]?.[4] ?? 0));
      const skinMerge = m((a) => (a.shares[k]?.[6] ?? 0) + (a.shares[k]?.[7] ?? 0));
      return `${f2(work)} / ${f2(sortCopy)} / ${f2(skinMerge)}`;
    });
    const barrier = m((a) => Math.max(0, ...a.shares.map((s) => s[1] ?? 0)));
    const mean = (/** @type {Account} */ a) => a.work / Math.max(1, a.shares.length);
    out.push(
      `| ${row.label} | ${f2(m((a) => a.moves))} | ${f2(m((a) => a.skin))} | ${f2(m((a) => a.dispatch))} | ${f2(m((a) => a.merge))} | ${f2(m((a) => a.rebuildSerial))} | ${f2(m((a) => a.rest))} | ${f2(m((a) => a.hash))} | ${f2(m((a) => a.serial))} | ${each.join(', ')} | ${f2(barrier)} | ${f2(m((a) => a.wake))} / ${f2(m((a) => a.wakeBack))} | ${f2(m((a) => a.serial / (a.serial + a.work)))} | ${f2(m((a) => a.ideal))} | ${m((a) => a.busiest / Math.max(1e-9, mean(a))).toFixed(3)} |`,
    );
  }
  return out;
}
