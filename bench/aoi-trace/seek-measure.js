// The seek rows of predict.js (docs/benchmarks.md, "aoi-trace: predicted events"): stateAt at pseudo-random ticks
// of every seek file, the files taking turns seek by seek (the same load for each).
import { rmSync } from 'node:fs';

const elapsed = (run) => {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/**
 * `seeks` seeks per file. Each: `stateAt(tick)` (what the viewer's frame waits for: it reads the entities only),
 * then `stateAt(tick + 1)` (what a viewer playing forward asks next; a reader goes on from its last replay when it
 * has one), and, on a second reader of the file, `stateAt(tick)` with one watcher's view read (what the entity
 * panel waits for: a 3.x state rebuilds its view sets then, a 2.x one builds that watcher's Set). Every file is
 * closed and removed afterwards.
 */
export function measureSeeks(files, seeks) {
  const results = files.map(() => ({ times: [], nextTimes: [], viewTimes: [] }));
  let seed = 42;
  for (let i = 0; i < seeks; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    for (const [k, f] of files.entries()) {
      const tick = seed % (f.ticks - 1);
      results[k].times.push(elapsed(() => f.reader.stateAt(tick)));
      results[k].nextTimes.push(elapsed(() => f.reader.stateAt(tick + 1)));
      results[k].viewTimes.push(
        elapsed(() => {
          const state = f.viewReader.stateAt(tick);
          const watcher = state.entities.keys().next().value;
          if (watcher !== undefined) state.views.get(watcher);
        }),
      );
    }
  }
  return files.map(({ file, reader, viewReader, ...f }, k) => {
    reader.close();
    viewReader.close();
    rmSync(file, { force: true });
    return { ...f, ...results[k] };
  });
}
