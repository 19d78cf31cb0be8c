import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALGORITHM_NAMES,
  compareWithEngine,
  EngineReplay,
  type FiguresOptions,
  parseSweep,
  type ReplayOverrides,
  type ResolvedReplaySettings,
  SWEEP_KEYS,
  type SweepResult,
  sweep,
  TraceError,
  TraceErrorCode,
  type TraceInput,
} from '@lanes/aoi-trace';
import { type CliIo, defineCommand, EXIT, type ExitCode, type OptionValues } from '@lanes/cli-kit';
import { FIGURES_COLUMNS, FIGURES_OPTIONS, figuresCells, figuresOptionsOf, table } from '../figures-output.js';
import { openInput } from '../open-input.js';
import { openOutput, writeOutputAtomically } from '../open-output.js';

const REPLAY_OPTIONS = {
  out: {
    type: 'string',
    short: 'o',
    value: '<file>',
    description:
      "write the replay (.aoitrace, or NDJSON when the name ends in .ndjson); compare the two runs with 'aoi-trace diff <trace> <file>'",
  },
  'view-radius': { type: 'number', value: '<r>', description: "every entity's view radius" },
  'leave-radius': {
    type: 'number',
    value: '<r>',
    description: "every entity's leave radius (at least its view radius)",
  },
  hysteresis: {
    type: 'number',
    value: '<p>',
    description: 'leave radius = view radius * (1 + p), e.g. 0.25; not with --leave-radius',
  },
  'cell-size': { type: 'number', value: '<c>', description: "the grid's cell edge" },
  skin: { type: 'number', value: '<s>', description: "the grid's skin" },
  algorithm: { type: 'choice', choices: ALGORITHM_NAMES, description: 'the engine algorithm' },
  compare: {
    type: 'boolean',
    description:
      "the engine as the reference: the recorded events against the engine's, tick by tick (a server's NDJSON, say); exit 3 when they differ",
  },
  sweep: {
    type: 'string',
    multiple: true,
    value: '<k>=<v1>,...',
    description: `every combination of the listed settings (${Object.keys(SWEEP_KEYS).join(', ')}; more dimensions follow as arguments): one row of figures each, against the recording's own; progress on stderr when it is a terminal`,
  },
  'out-dir': { type: 'string', value: '<dir>', description: "with --sweep: also write each combination's trace there" },
  ...FIGURES_OPTIONS,
} as const;

type Values = OptionValues<typeof REPLAY_OPTIONS>;

export const replayCommand = defineCommand({
  name: 'replay',
  summary: 're-run a recording through @lanes/aoi under other settings (what-if, sweep, engine as reference)',
  positionals: [{ name: 'trace' }, { name: 'setting=values', optional: true, variadic: true }],
  description: `Forms: replay <trace> --out <file> [settings]; replay <trace> --compare [settings];
replay <trace> --sweep view-radius=40,60,80 hysteresis=0,0.1,0.25 [--out-dir <dir>] [settings].

Re-runs the recorded movements (spawns, moves, teleports, despawns, respawns, radius and role changes, tick by
tick) through @lanes/aoi and records what the engine makes of them. Settings not given are the recorded ones
(header attributes aoi.*; what an older trace or another server did not record is listed as unknown and the
engine's default is used). A radius setting replaces every entity's radii, at its spawn and at every recorded
radius change; --view-radius alone keeps each entity's recorded leave/view ratio. --json prints the summary,
comparison or table as JSON.`,
  options: REPLAY_OPTIONS,
  async run({ values: v, positionals }, io) {
    const sweeping = v.sweep !== undefined;
    const [path, ...extra] = positionals as [string, ...string[]];
    if (extra.length > 0 && !sweeping) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `usage: aoi-trace replay <trace> (--out <file> | --compare | --sweep <k>=<values>...) (got ${positionals.length} argument(s)).`,
      );
    }
    if (!sweeping && v.out === undefined && v.compare !== true) {
      throw new TraceError(TraceErrorCode.InvalidArgument, 'replay needs --out <file>, --compare or --sweep.');
    }
    if (v['out-dir'] !== undefined && !sweeping) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        '--out-dir goes with --sweep (a single replay takes --out).',
      );
    }
    const overrides = overridesOf(v);
    const input = openInput(path);
    try {
      if (sweeping) {
        return runSweep(input, [...(v.sweep ?? []), ...extra], overrides, figuresOptionsOf(v), v, io);
      }
      let code: ExitCode = EXIT.ok;
      if (v.out !== undefined) writeReplay(input, overrides, v.out, v.json === true, io);
      if (v.compare === true) code = compare(input, overrides, v.json === true, io);
      return code;
    } finally {
      input.close?.();
    }
  },
});

/** The settings given, as the library takes them (it checks their ranges and combinations). */
function overridesOf(v: Values): ReplayOverrides {
  const numbers = {
    viewRadius: v['view-radius'],
    leaveRadius: v['leave-radius'],
    hysteresis: v.hysteresis,
    cellSize: v['cell-size'],
    skin: v.skin,
  };
  return {
    ...Object.fromEntries(Object.entries(numbers).filter(([, n]) => n !== undefined)),
    ...(v.algorithm === undefined ? {} : { algorithm: v.algorithm }),
  };
}

/** `algorithm grid (recorded), cell size default (unknown), ...` */
function settingsLines(settings: ResolvedReplaySettings): string[] {
  const { sources } = settings;
  const radii = Object.entries(settings.radii).map(([k, n]) => `${k} ${n}`);
  return [
    `settings: algorithm ${settings.algorithm} (${sources.algorithm}), cell size ${settings.cellSize} (${sources.cellSize}), ` +
      `skin ${settings.skin} (${sources.skin}), move events ${settings.moveEvents} (${sources.moveEvents}), ` +
      `radii ${radii.length > 0 ? radii.join(', ') : 'as recorded'}`,
    ...settings.notes.map((note) => `note: ${note}`),
  ];
}

function writeReplay(input: TraceInput, overrides: ReplayOverrides, out: string, json: boolean, io: CliIo): void {
  const replay = new EngineReplay(input, overrides);
  const stats = writeOutputAtomically(out, (output) => replay.writeTo(output.sink));
  if (json) {
    io.stdout.write(`${JSON.stringify({ out, settings: replay.settings, ...stats })}\n`);
    return;
  }
  const lines = [
    `${out}: ${stats.ticks} ticks replayed, ${stats.events} events (recorded: ${stats.recordedEvents}), engine ${stats.engineMs.toFixed(0)} ms`,
    ...settingsLines(replay.settings),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
}

function compare(input: TraceInput, overrides: ReplayOverrides, json: boolean, io: CliIo): ExitCode {
  const result = compareWithEngine(input, overrides);
  if (json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result.agrees ? EXIT.ok : EXIT.findings;
  }
  const { ticks, ambiguous, tolerance } = result;
  const rounding =
    ambiguous === 0
      ? ''
      : `; ${ambiguous} event(s) differ only where a pair was within ${tolerance} of a radius (rounding)`;
  const lines = result.agrees
    ? [`the engine agrees over ${ticks} ticks${rounding}`]
    : [
        `the engine disagrees from tick ${result.firstDisagreementTick} (${ticks} ticks compared${rounding})`,
        `  recorded events the engine does not make: ${result.onlyRecorded}; engine events not recorded: ${result.onlyEngine}`,
      ];
  for (const d of result.disagreements.slice(0, 20)) {
    const who = d.side === 'recorded' ? 'recorded, not by the engine' : 'by the engine, not recorded';
    const where =
      d.distance === null ? '' : ` at distance ${d.distance.toFixed(3)} (view ${d.viewRadius}, leave ${d.leaveRadius})`;
    lines.push(
      `  tick ${d.tick}: ${d.kind}(${d.watcher}, ${d.target}) ${who}${where}${d.ambiguous ? ', rounding' : ''}`,
    );
  }
  lines.push(...settingsLines(result.settings));
  io.stdout.write(`${lines.join('\n')}\n`);
  return result.agrees ? EXIT.ok : EXIT.findings;
}

/** `view-radius=60 hysteresis=0.1` for a combination (or `recorded` for none). */
const labelOf = (overrides: ReplayOverrides) => {
  const names = Object.entries(SWEEP_KEYS);
  const parts = Object.entries(overrides).map(([k, value]) => `${names.find(([, o]) => o === k)?.[0] ?? k}=${value}`);
  return parts.length > 0 ? parts.join(' ') : 'recorded';
};

function runSweep(
  input: TraceInput,
  specs: readonly string[],
  base: ReplayOverrides,
  figures: FiguresOptions,
  v: Values,
  io: CliIo,
): ExitCode {
  const dimensions = parseSweep(specs);
  const dir = v['out-dir'] as string | undefined;
  if (dir !== undefined) mkdirSync(dir, { recursive: true });
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let shown = 0;
  const result: SweepResult = sweep(input, dimensions, {
    base,
    figures,
    ...(dir === undefined
      ? {}
      : {
          sinkFor: (overrides) => {
            const output = openOutput(join(dir, `${labelOf(overrides).replaceAll(' ', '_')}.aoitrace`));
            return {
              begin: (h) => output.sink.begin(h),
              writeTick: (r) => output.sink.writeTick(r),
              close: output.close,
            };
          },
        }),
    ...(tty
      ? {
          onProgress: ({ index, total, overrides, ticks }) => {
            const now = Date.now();
            if (now - shown < 100) return;
            shown = now;
            io.stderr.write(`\r\x1b[K[${index + 1}/${total}] ${labelOf(overrides)}: tick ${ticks}`);
          },
        }
      : {}),
  });
  if (tty) io.stderr.write('\r\x1b[K');
  if (v.json === true) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  }
  const keys = dimensions.map((d) => d.key);
  const rows = [
    [...keys.map((_, i) => (i === 0 ? 'recorded' : '')), ...figuresCells(result.recorded, result.recorded), ''],
    ...result.rows.map((row) => [
      ...dimensions.map((d) => String(row.overrides[SWEEP_KEYS[d.key]] ?? '')),
      ...figuresCells(row.figures, result.recorded),
      row.replay.engineMs.toFixed(0),
    ]),
  ];
  const sizes = result.recorded.messageSizes;
  const lines = [
    ...table([...keys, ...FIGURES_COLUMNS, 'engine ms'], rows),
    `(${result.recorded.ticks} ticks; churn = enters + leaves; bytes: enter ${sizes.enter}, leave ${sizes.leave}, move ${sizes.move}; ` +
      "'vs rec' is the change from the recording's own figures)",
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
