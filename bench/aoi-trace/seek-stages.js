#!/usr/bin/env node
// Where a stateAt goes, per format (docs/benchmarks.md, "aoi-trace: predicted events"): decoding the keyframe, the
// first replayed tick (in 3.x a full pass of the rule), the later replayed ticks (3.x: incremental predictions), and
// handing the world out. Caller-thread CPU, so a loaded machine inflates the parts alike. The seek is rebuilt here
// from the reader's own parts (segment-decoder.ts, as state-at.ts drives them), at the same pseudo-random ticks for
// every format.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTraceReader, openTraceWriter } from '@lanes/aoi-trace';
import { ChunkKind } from '../../packages/aoi-trace/dist/format/layout.js';
import { SegmentDecoder } from '../../packages/aoi-trace/dist/format/segment-decoder.js';
import { makeScenario } from '../aoi/scenario.js';
import { collectFlags } from '../common/flags.js';
import { machineLine } from '../common/machine.js';
import { runMain } from '../common/run-main.js';
import { writeCycledTicks } from './cycle-ticks.js';
import { threadCpuMs } from './measure.js';
import { recordRoundTrip } from './scenario-trace.js';

const USAGE = `node bench/aoi-trace/seek-stages.js [--mb n] [--seeks n] [--formats 2.2,3.1] [--keyframe-interval n]
  --mb       size of each format's seek file (the dense round trip cycled; default 5)
  --seeks    seeks per file (default 20, after 3 unmeasured)
  --formats  the versions compared (default 2.2,3.1)
  --keyframe-interval  the writer's keyframeInterval (default: the writer's default)`;
const FLAGS = {
  '--mb': { env: 'AOI_SEEK_STAGES_MB' },
  '--seeks': { env: 'AOI_SEEK_STAGES_SEEKS' },
  '--formats': { env: 'AOI_SEEK_STAGES_FORMATS' },
  '--keyframe-interval': { env: 'AOI_SEEK_STAGES_KEYFRAME_INTERVAL' },
};
const log = (line) => process.stderr.write(`${line}\n`);

/** One seek to `tick`, timed by part. */
function stages(reader, tick, sums) {
  // The reader's own parts (private in TypeScript).
  const { source, quantizer, layout } = /** @type {any} */ (reader);
  const entries = layout.entries;
  const cpu = () => threadCpuMs() ?? 0;
  let before = cpu();
  const lap = (part) => {
    const now = cpu();
    sums[part] += now - before;
    before = now;
  };
  const decoder = new SegmentDecoder(source, quantizer, true, reader.formatMinor);
  const k = entries.findLastIndex((e) => e.kind === ChunkKind.Keyframe && e.lastTick <= tick);
  const world = decoder.keyframe(entries[k]);
  lap('keyframe');
  let first = true;
  for (const entry of entries.slice(k + 1)) {
    if (entry.kind === ChunkKind.Keyframe) {
      decoder.table.resetVelocities();
      continue;
    }
    if (entry.firstTick > tick) break;
    decoder.replay(entry, tick, (record) => {
      world.apply(record);
      if (first) lap('first');
      else {
        lap('later');
        sums.laterTicks++;
      }
      first = false;
    });
    if (entry.lastTick >= tick) break;
  }
  world.toWorldState(decoder.table, quantizer);
  lap('hand out');
  if (reader.formatMinor === undefined) return;
  // 3.x stateAt hands out this first: the same replay predicting no event (the view sets wait for their first use).
  const sketch = new SegmentDecoder(source, quantizer, true, reader.formatMinor, true);
  const positions = sketch.keyframe(entries[k]);
  for (const entry of entries.slice(k + 1)) {
    if (entry.kind === ChunkKind.Keyframe) {
      sketch.table.resetVelocities();
      continue;
    }
    if (entry.firstTick > tick) break;
    sketch.replay(entry, tick, (record) => positions.apply(record));
    if (entry.lastTick >= tick) break;
  }
  positions.toWorldState(sketch.table, quantizer);
  lap('positions');
}

async function main() {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const given = collectFlags(process.argv.slice(2), process.env, FLAGS, USAGE);
  const mb = Number(given.get('--mb') ?? 5);
  const seeks = Number(given.get('--seeks') ?? 20);
  const interval = given.has('--keyframe-interval') ? Number(given.get('--keyframe-interval')) : undefined;
  const formats = /** @type {('2.2' | '3.0' | '3.1')[]} */ ((given.get('--formats') ?? '2.2,3.1').split(','));
  log('recording the dense round trip...');
  const trip = recordRoundTrip(makeScenario({ half: 1000 }));
  const out = [
    '| Format | file (per tick) | keyframes | keyframe | first tick | later ticks (each) | hand out | total (CPU ms per seek) | 3.x positions first |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const format of formats) {
    const file = path.join(os.tmpdir(), `aoi-seek-stages-${process.pid}-${format}.aoitrace`);
    try {
      const writer = openTraceWriter(file, {
        format,
        ...(interval === undefined ? {} : { keyframeInterval: interval }),
      });
      const ticks = writeCycledTicks(writer, trip, { bytes: mb * 1e6, log });
      writer.close();
      const reader = openTraceReader(file);
      const sums = { keyframe: 0, first: 0, later: 0, laterTicks: 0, 'hand out': 0, positions: 0 };
      let seed = 42;
      for (let i = -3; i < seeks; i++) {
        if (i === 0) for (const part of Object.keys(sums)) sums[part] = 0;
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        stages(reader, seed % ticks, sums);
      }
      const each = (v) => (v / seeks).toFixed(1);
      const total = sums.keyframe + sums.first + sums.later + sums['hand out'];
      const perLater = sums.laterTicks > 0 ? (sums.later / sums.laterTicks).toFixed(1) : '-';
      out.push(
        `| ${format}${interval === undefined ? '' : `, keyframeInterval ${interval}`} | ${(reader.stats().fileBytes / 1e6).toFixed(1)} MB (${(reader.stats().fileBytes / ticks / 1e3).toFixed(1)} KB) | ${reader.stats().keyframes} | ${each(sums.keyframe)} | ${each(sums.first)} | ${each(sums.later)} (${(sums.laterTicks / seeks).toFixed(1)} x ${perLater}) | ${each(sums['hand out'])} | ${each(total)} | ${reader.formatMinor === undefined ? '-' : each(sums.positions)} |`,
      );
      reader.close();
    } finally {
      rmSync(file, { force: true });
    }
  }
  console.log(out.join('\n'));
  console.log(`\n${machineLine()}`);
  return 0;
}

await runMain(main, async () => {}, log);
