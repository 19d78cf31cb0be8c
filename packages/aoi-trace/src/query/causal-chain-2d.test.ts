// A 2D trace's causal chains must not change when the explanation learns height: the answers (JSON, and the steps
// the CLI's text prints) for a seeded random-walk run, compared with a golden file written by the code before height
// was added. Regenerate with `UPDATE_GOLDEN=1 npx vitest run packages/aoi-trace/src/query/causal-chain-2d.test.ts`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryTrace } from '../model/memory-trace.js';
import { simulate } from '../simulate/simulate.js';
import { causalChain } from './causal-chain.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'causal-chain-2d.json.golden');

describe('causalChain on a 2D trace', () => {
  it('answers as its golden file (no height fields, same steps)', () => {
    const trace = new MemoryTrace();
    simulate({ scenario: 'random-walk', entities: 80, ticks: 60, seed: 3 }, trace);
    const total = trace.records.reduce((n, r) => n + r.events.count, 0);
    // Spread over the run: spawns at tick 0, moves, logins, logouts (a despawn's exit), teleports.
    const ids = Array.from({ length: 24 }, (_, i) => Math.floor((i * (total - 1)) / 23));
    const text = `${JSON.stringify(
      ids.map((id) => causalChain(trace, id)),
      null,
      2,
    )}\n`;
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(text, 'differs from its golden file; regenerate with UPDATE_GOLDEN=1').toBe(readFileSync(golden, 'utf8'));
  });
});
