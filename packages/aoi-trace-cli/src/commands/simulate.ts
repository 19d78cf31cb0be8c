import {
  ALGORITHM_NAMES,
  type InjectOptions,
  SCENARIO_NAMES,
  type ScenarioName,
  type SimulateOptions,
  simulate,
  TraceError,
  TraceErrorCode,
} from '@lanes/aoi-trace';
import { defineCommand, EXIT } from '@lanes/cli-kit';
import { writeOutputAtomically } from '../open-output.js';

export const simulateCommand = defineCommand({
  name: 'simulate',
  summary: 'run the engine on a seeded scenario (optionally with injected bugs)',
  description: `Runs the AOI engine on a seeded scenario and records it (.aoitrace, or NDJSON when the file ends in .ndjson).
--inject takes bugs to inject, comma-separated kind=rate[:n]:
  torn-view=0.01  delayed-broadcast=0.02:3 (3 ticks late)
  race=0.01       oscillation=0.05:4 (4 extra flips)
  flat-leave=0.1 (a leave test without the vertical extent; needs height: --scenario floors)`,
  options: {
    scenario: { type: 'choice', choices: SCENARIO_NAMES, value: '<name>', required: true, description: 'the scenario' },
    out: { type: 'string', short: 'o', value: '<file>', required: true, description: 'the trace to write' },
    entities: { type: 'integer', value: '<n>', description: 'entities at the start' },
    half: { type: 'number', value: '<m>', description: 'the map is [-m, m]^2' },
    view: { type: 'number', value: '<r>', description: 'view radius' },
    leave: { type: 'number', value: '<r>', description: 'leave radius >= view (hysteresis)' },
    ticks: { type: 'integer', value: '<n>', description: 'recorded ticks' },
    seed: { type: 'integer', value: '<n>', description: "the scenario's seed" },
    step: { type: 'number', value: '<units>', description: 'movement per tick' },
    'tick-ms': { type: 'number', value: '<ms>', description: 'synthetic time per tick' },
    algorithm: { type: 'choice', choices: ALGORITHM_NAMES, default: 'grid', description: 'the engine algorithm' },
    inject: { type: 'string', value: '<list>', description: 'bugs to inject, kind=rate[:n], comma-separated' },
    'inject-seed': { type: 'integer', value: '<n>', default: "the scenario's", description: 'seed of the injections' },
  },
  async run({ values: v }, io) {
    const out = v.out as string;
    const options: SimulateOptions = {
      scenario: v.scenario as ScenarioName,
      ...defined('entities', v.entities),
      ...defined('half', v.half),
      ...defined('viewRadius', v.view),
      ...defined('leaveRadius', v.leave),
      ...defined('ticks', v.ticks),
      ...defined('seed', v.seed),
      ...defined('step', v.step),
      ...defined('tickMs', v['tick-ms']),
      ...(v.algorithm === undefined ? {} : { algorithm: v.algorithm }),
      ...(v.inject === undefined ? {} : { inject: parseInjections(v.inject, v['inject-seed']) }),
    };
    const summary = writeOutputAtomically(out, (output) => simulate(options, output.sink));
    if (v.json) {
      io.stdout.write(`${JSON.stringify({ out, ...summary, injections: summary.injections.slice(0, 100) })}\n`);
      return EXIT.ok;
    }
    const injected = Object.entries(summary.injected).filter(([, n]) => n > 0);
    io.stdout.write(
      `${out}: ${summary.ticks} ticks of ${summary.options.scenario}, ${summary.recordedEvents} events` +
        (injected.length > 0 ? `; injected ${injected.map(([k, n]) => `${n} ${k}`).join(', ')}` : '') +
        '\n',
    );
    return EXIT.ok;
  },
});

/** An absent option stays absent, so the scenario's default applies. */
function defined<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

const INJECTION_NAMES = ['torn-view', 'delayed-broadcast', 'race', 'oscillation', 'flat-leave'] as const;

/** `torn-view=0.01,delayed-broadcast=0.02:3` into the library's options. */
export function parseInjections(text: string, seed: number | undefined): InjectOptions {
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
    else if (name === 'flat-leave') inject.flatLeave = { rate };
    else if (name === 'delayed-broadcast') inject.delayedBroadcast = { rate, ...(n === undefined ? {} : { ticks: n }) };
    else inject.oscillation = { rate, ...(n === undefined ? {} : { flips: n }) };
  }
  if (seed !== undefined) inject.seed = seed;
  return inject;
}
