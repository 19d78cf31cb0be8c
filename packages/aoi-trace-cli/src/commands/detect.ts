import {
  type DamageEntry,
  DETECTOR_NAMES,
  type DetectOptions,
  type DetectorName,
  detect,
  detectTraceFile,
  TraceReader,
  tickCoverage,
} from '@lanes/aoi-trace';
import { defineCommand, EXIT } from '@lanes/cli-kit';
import { coverageText, damageLines, damageOf } from '../damage-output.js';
import { openInput } from '../open-input.js';

/** `{ [key]: value }` when the option was given: the library fills in (and checks) the rest. */
function given<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export const detectCommand = defineCommand({
  name: 'detect',
  summary:
    'find torn views, delayed broadcasts, adjacency errors, oscillation, and every event the geometry says is missing, extra or late',
  positionals: [{ name: 'trace' }],
  description: `Runs the AOI bug detectors over a trace (.aoitrace or NDJSON) and reports every finding with its entities, tick
and evidence. Exit code 3 when something was found or the trace is cut or damaged (the report then names the
ticks it read and those it could not), 0 when the trace is clean. --json prints the whole report as one object.`,
  options: {
    only: { type: 'string', value: '<list>', default: 'all', description: `detectors: ${DETECTOR_NAMES.join(', ')}` },
    'max-findings': {
      type: 'integer',
      value: '<n>',
      default: '1000',
      description: 'findings listed per detector (counts stay exact)',
    },
    'torn-ticks': {
      type: 'integer',
      value: '<n>',
      default: '0',
      description: 'a torn view must last longer than n ticks',
    },
    'max-lag': { type: 'integer', value: '<n>', default: '0', description: 'events up to n ticks late are on time' },
    'adjacency-ticks': {
      type: 'integer',
      value: '<n>',
      default: '1',
      description: 'a contradiction must last n ticks',
    },
    window: { type: 'integer', value: '<n>', default: '20', description: 'oscillation window in ticks' },
    'max-flips': {
      type: 'integer',
      value: '<n>',
      default: '4',
      description: 'transitions of one pair per window before it is flapping',
    },
    tolerance: {
      type: 'number',
      value: '<d>',
      default: 'from the quantum',
      description: 'distances within d of a radius are ambiguous',
    },
    from: {
      type: 'integer',
      value: '<t>',
      description:
        'only from this tick; a .aoitrace file seeks to the keyframe before it through its index (the views at <t> - 1 are taken as right)',
    },
    to: { type: 'integer', value: '<t>', description: 'only up to this tick' },
  },
  async run({ values: v, positionals: [path] }, io) {
    const options: DetectOptions = {
      ...given(
        'detectors',
        v.only
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean) as DetectorName[] | undefined,
      ),
      ...given('maxFindingsPerDetector', v['max-findings']),
      ...given('tornTicks', v['torn-ticks']),
      ...given('maxLagTicks', v['max-lag']),
      ...given('adjacencyTicks', v['adjacency-ticks']),
      ...given('window', v.window),
      ...given('maxFlipsPerWindow', v['max-flips']),
      ...given('tolerance', v.tolerance),
    };
    const range = { ...given('from', v.from), ...given('to', v.to) };
    const input = openInput(path as string);
    let report: ReturnType<typeof detect>;
    let damage: DamageEntry[];
    try {
      // An .aoitrace file: the kinetic schedule runs on a worker thread reading the same file (the same report).
      report =
        input instanceof TraceReader
          ? detectTraceFile(path as string, options, range, 'incremental', input)
          : detect(input, options, range);
      damage = damageOf(input);
    } finally {
      input.close?.();
    }
    const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
    // Findings cover only the ticks read: say which, so "0 findings" is never claimed for ticks nobody looked at.
    const coverage = damage.length === 0 ? undefined : tickCoverage(damage, report.firstTick, report.lastTick);
    if (v.json) {
      const extra = coverage === undefined ? {} : { damage, coverage };
      io.stdout.write(`${JSON.stringify({ trace: path, total, ...report, ...extra })}\n`);
    } else {
      const read = coverage === undefined ? '' : ` in the ticks read (${coverageText(coverage)})`;
      io.stdout.write(`${path}: ticks ${report.firstTick}..${report.lastTick}, ${total} finding(s)${read}\n`);
      if (damage.length > 0) io.stdout.write(`${damageLines(damage).join('\n')}\n`);
      for (const [name, count] of Object.entries(report.counts)) {
        const cut = report.truncated.includes(name as DetectorName) ? ' (list cut)' : '';
        if (count > 0) io.stdout.write(`  ${name}: ${count}${cut}\n`);
      }
      for (const finding of report.findings) {
        io.stdout.write(
          `tick ${finding.tick} [${finding.detector}] entities ${finding.entities.join(', ')}: ${finding.message}\n`,
        );
      }
    }
    return total > 0 || damage.length > 0 ? EXIT.findings : EXIT.ok;
  },
});
