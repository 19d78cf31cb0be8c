import {
  type InjectOptions,
  SCENARIO_NAMES,
  type SimulateOptions,
  simulate,
  TraceError,
  TraceErrorCode,
} from '@lanes/aoi-trace';
import { intOption, numberOption, parseCommand } from '../args.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { writeOutputAtomically } from '../open-output.js';

const HELP = `Usage: aoi-trace simulate --scenario <name> --out <file> [options]

Runs the AOI engine on a seeded scenario and records it (.aoitrace, or NDJSON when the file ends in .ndjson).
  --scenario <name>      ${SCENARIO_NAMES.join(', ')}
  --entities <n>         entities at the start
  --half <m>             the map is [-m, m]^2
  --view <r>             view radius;  --leave <r>  leave radius >= view (hysteresis)
  --ticks <n>            recorded ticks;  --seed <n>;  --step <units per tick>;  --tick-ms <ms>
  --algorithm <name>     grid (default) or brute-force
  --inject <list>        bugs to inject, comma-separated kind=rate[:n]:
                           torn-view=0.01  delayed-broadcast=0.02:3 (3 ticks late)
                           race=0.01       oscillation=0.05:4 (4 extra flips)
  --inject-seed <n>      seed of the injections (default: the scenario's)
  --json                 print the summary as JSON`;

export async function runSimulateCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<Record<string, string | undefined>>(
    'simulate',
    args,
    {
      scenario: { type: 'string' },
      out: { type: 'string', short: 'o' },
      entities: { type: 'string' },
      half: { type: 'string' },
      view: { type: 'string' },
      leave: { type: 'string' },
      ticks: { type: 'string' },
      seed: { type: 'string' },
      step: { type: 'string' },
      'tick-ms': { type: 'string' },
      algorithm: { type: 'string' },
      inject: { type: 'string' },
      'inject-seed': { type: 'string' },
    },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values;
  if (v.scenario === undefined || v.out === undefined) {
    throw new TraceError(TraceErrorCode.InvalidArgument, 'simulate needs --scenario <name> and --out <file>.');
  }
  const options: SimulateOptions = {
    scenario: v.scenario as SimulateOptions['scenario'],
    ...defined('entities', intOption(v.entities, 'entities', 1)),
    ...defined('half', numberOption(v.half, 'half', 0)),
    ...defined('viewRadius', numberOption(v.view, 'view', 0)),
    ...defined('leaveRadius', numberOption(v.leave, 'leave', 0)),
    ...defined('ticks', intOption(v.ticks, 'ticks', 1)),
    ...defined('seed', intOption(v.seed, 'seed')),
    ...defined('step', numberOption(v.step, 'step', 0)),
    ...defined('tickMs', numberOption(v['tick-ms'], 'tick-ms', 0)),
    ...(v.algorithm === undefined ? {} : { algorithm: v.algorithm as SimulateOptions['algorithm'] }),
    ...(v.inject === undefined ? {} : { inject: parseInjections(v.inject, v['inject-seed']) }),
  };
  const summary = writeOutputAtomically(v.out, (output) => simulate(options, output.sink));
  if (parsed.values.json) {
    io.stdout.write(`${JSON.stringify({ out: v.out, ...summary, injections: summary.injections.slice(0, 100) })}\n`);
    return EXIT.ok;
  }
  const injected = Object.entries(summary.injected).filter(([, n]) => n > 0);
  io.stdout.write(
    `${v.out}: ${summary.ticks} ticks of ${summary.options.scenario}, ${summary.recordedEvents} events` +
      (injected.length > 0 ? `; injected ${injected.map(([k, n]) => `${n} ${k}`).join(', ')}` : '') +
      '\n',
  );
  return EXIT.ok;
}

/** An absent option stays absent, so the scenario's default applies. */
function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

const INJECTION_NAMES = ['torn-view', 'delayed-broadcast', 'race', 'oscillation'] as const;

/** `torn-view=0.01,delayed-broadcast=0.02:3` into the library's options. */
export function parseInjections(text: string, seed: string | undefined): InjectOptions {
  const inject: InjectOptions = {};
  for (const item of text.split(',').filter(Boolean)) {
    const match = /^([a-z-]+)=([0-9.]+)(?::(\d+))?$/.exec(item.trim());
    const name = match?.[1] as (typeof INJECTION_NAMES)[number] | undefined;
    if (!match || !name || !INJECTION_NAMES.includes(name)) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `--inject: "${item}" is not kind=rate[:n] with kind one of ${INJECTION_NAMES.join(', ')}.`,
      );
    }
    const rate = Number(match[2]);
    const n = match[3] === undefined ? undefined : Number(match[3]);
    if (name === 'torn-view') inject.tornView = { rate };
    else if (name === 'race') inject.race = { rate };
    else if (name === 'delayed-broadcast') inject.delayedBroadcast = { rate, ...(n === undefined ? {} : { ticks: n }) };
    else inject.oscillation = { rate, ...(n === undefined ? {} : { flips: n }) };
  }
  const injectSeed = intOption(seed, 'inject-seed');
  if (injectSeed !== undefined) inject.seed = injectSeed;
  return inject;
}
