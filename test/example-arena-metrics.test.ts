import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CELL_SIZE_ATTRIBUTE, mulberry32, openTraceReader } from '@lanes/aoi-trace';
import { parsePrometheusText } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, runNodeScript } from './support/cli.js';
import { get, waitFor } from './support/gateway.js';

const SERVER = fileURLToPath(new URL('../examples/arena/server.js', import.meta.url));
const NPCS = 60;
const MAP = 400;
const CELL = 50;
const SEED = 7;

/** Samples by name, after checking the exposition: HELP and TYPE before each family's samples, naming rules. */
function readExposition(text: string): Map<string, number> {
  expect(text.endsWith('\n')).toBe(true);
  expect(parsePrometheusText(text).problems).toEqual([]);
  const help = new Set<string>();
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (kind === 'HELP') help.add(name!);
      else {
        expect(['counter', 'gauge', 'summary', 'histogram', 'untyped']).toContain(rest);
        expect(types.has(name!), `one TYPE line for ${name}`).toBe(false);
        types.set(name!, rest!);
      }
      continue;
    }
    const [name, value] = line.split(' ');
    const type = types.get(name!) ?? types.get(name!.replace(/_(sum|count)$/, ''));
    const familyName = types.has(name!) ? name! : name!.replace(/_(sum|count)$/, '');
    expect(type, `a TYPE line before ${name}`).toBeDefined();
    expect(help.has(familyName), `a HELP line before ${name}`).toBe(true);
    if (type === 'counter') expect(name).toMatch(/_total$/);
    else expect(name).not.toMatch(/_total$/);
    // Base units: durations in seconds, never milliseconds.
    expect(name).not.toMatch(/_ms$|millis/);
    samples.set(name!, Number(value));
  }
  return samples;
}

/** The NPCs' places, as the arena draws them (they stand still with ARENA_NPC_SPEED=0), counted per cell here. */
function expectedOccupancy() {
  const random = mulberry32(SEED);
  const cells = new Map<string, number>();
  for (let id = 1; id <= NPCS; id++) {
    const x = random() * MAP;
    const y = random() * MAP;
    random(); // heading
    const key = `${Math.floor(x / CELL)},${Math.floor(y / CELL)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const counts = [...cells.values()];
  const mean = NPCS / counts.length;
  const variance = counts.reduce((sum, c) => sum + (c - mean) ** 2, 0) / counts.length;
  return { cells: counts.length, max: Math.max(...counts), mean, stdDev: Math.sqrt(variance) };
}

describe('examples/arena: /arena/metrics publishes the seed monitoring table', () => {
  let state: string;
  let arena: CliProcess;
  let url: string;

  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), 'arena-metrics-'));
    arena = runNodeScript(SERVER, [], {
      env: {
        PORT: '0',
        LANES_STATE_DIR: state,
        LANES_REPLICA_ID: 'metrics',
        ARENA_NPCS: String(NPCS),
        ARENA_MAP_SIZE: String(MAP),
        ARENA_NPC_SPEED: '0',
        ARENA_SEED: String(SEED),
        ARENA_TICK_MS: '10',
        AOI_CELL_SIZE: String(CELL),
      },
    });
    const line = await arena.waitForLine((l) => l.includes(' on http://127.0.0.1:'), 20_000);
    url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)![1]!;
  });
  afterAll(async () => {
    if (arena.child.exitCode === null) {
      arena.child.kill('SIGKILL');
      await arena.exit();
    }
    await rm(state, { recursive: true, force: true });
  });

  it('in Prometheus text format, with values that match the world', async () => {
    let samples = new Map<string, number>();
    await waitFor(
      async () => {
        const response = await get(`${url}/arena/metrics`);
        expect(response.status).toBe(200);
        expect(String(response.headers['content-type'])).toBe('text/plain; version=0.0.4');
        samples = readExposition(response.body);
        return (samples.get('aoi_ticks_total') ?? 0) >= 3;
      },
      'three arena ticks',
      20_000,
    );
    const ticks = samples.get('aoi_ticks_total')!;
    const expected = expectedOccupancy();
    expect(samples.get('aoi_entities')).toBe(NPCS);
    expect(samples.get('aoi_cell_size')).toBe(CELL);
    expect(samples.get('aoi_occupied_cells')).toBe(expected.cells);
    expect(samples.get('aoi_cell_entities_max')).toBe(expected.max);
    expect(samples.get('aoi_cell_entities_mean')).toBeCloseTo(expected.mean, 9);
    expect(samples.get('aoi_cell_entities_stddev')).toBeCloseTo(expected.stdDev, 9);
    // One timed update per tick; the sum is a duration, so never negative.
    expect(samples.get('aoi_update_duration_seconds_count')).toBe(ticks);
    expect(samples.get('aoi_update_duration_seconds_sum')).toBeGreaterThanOrEqual(0);
    // Scraped between ticks: nothing waits in the engine or the open tick.
    expect(samples.get('aoi_pending_changes')).toBe(0);
    expect(samples.get('aoi_trace_open_events')).toBe(0);
    // The writer holds the ticks of its open chunk (64 by default) and packs inline: no queued chunks.
    const unwritten = samples.get('aoi_trace_unwritten_ticks')!;
    if (ticks <= 64) expect(unwritten).toBe(ticks);
    else expect(unwritten >= 1 && unwritten <= 64).toBe(true);
    expect(samples.get('aoi_trace_queued_chunks')).toBe(0);
  });

  it('records the cell size in the trace header, for the viewer occupancy layer', async () => {
    arena.child.kill('SIGTERM');
    expect(await arena.exit()).toBe(0);
    const folder = join(state, 'traces', 'arena', 'default');
    const [file] = (await readdir(folder)).filter((name) => name.endsWith('.aoitrace'));
    const reader = openTraceReader(join(folder, file!));
    try {
      expect(reader.header.attributes[CELL_SIZE_ATTRIBUTE]).toBe(String(CELL));
    } finally {
      reader.close();
    }
  });
});
