import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TraceError } from '../errors.js';
import { repairChecksums } from './test-support/bomb-files.js';
import { recordRun, writeBytes } from './test-support/recorded-runs.js';
import { readTraceBytes } from './trace-reader.js';

const valid = writeBytes(recordRun({ ticks: 40, entities: 25, seed: 8 }), { chunkTicks: 4, keyframeInterval: 10 });
const raw = writeBytes(recordRun({ ticks: 30, entities: 20, seed: 9 }), { chunkTicks: 4, deflate: false });

/** Everything a consumer might do with a file; it must end normally or with a TraceError, never anything else. */
function useEverything(bytes: Uint8Array): void {
  try {
    const reader = readTraceBytes(bytes);
    let n = 0;
    for (const record of reader.ticks()) n += record.moves.count + record.events.count;
    expect(n).toBeGreaterThanOrEqual(0);
    reader.stats();
    reader.verify();
    for (const tick of [0, 7, 20, 1e9]) {
      try {
        reader.stateAt(tick);
      } catch (error) {
        // stateAt refuses to replay through damage (CORRUPT) and to follow inconsistent records (INVALID_RECORD).
        if (!(error instanceof TraceError)) throw error;
      }
    }
    for (const _ of reader.ticks({ from: 13, to: 17 })) {
      // Seeking into a damaged file must not fail with anything but a TraceError either.
    }
  } catch (error) {
    if (!(error instanceof TraceError)) throw error;
  }
}

describe('.aoitrace reader on hostile input', () => {
  it('reads or throws TraceError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, withMagic) => {
        if (withMagic) bytes.set(valid.subarray(0, Math.min(bytes.length, 16)));
        useEverything(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('reads or throws TraceError on random truncations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length }), (at) => useEverything(valid.subarray(0, at))),
      { numRuns: 200 },
    );
  });

  it('reads or throws TraceError on random bit flips, deflated or not', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 }),
        (deflated, flips) => {
          const bytes = (deflated ? valid : raw).slice();
          for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
          useEverything(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never decodes a damaged payload: bit flips with fixed checksums hit the structure checks', () => {
    // Flip payload bytes and then repair both CRCs, so the decoders themselves face the garbage.
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (positions) => {
        const bytes = raw.slice();
        for (const p of positions) bytes[16 + (p % (bytes.length - 16))]! ^= 0x5a;
        useEverything(repairChecksums(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
