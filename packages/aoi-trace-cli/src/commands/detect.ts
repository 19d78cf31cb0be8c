import {
  type DamageEntry,
  DETECTOR_NAMES,
  type DetectOptions,
  type DetectorName,
  detect,
  TraceError,
  TraceErrorCode,
  tickCoverage,
} from '@lanes/aoi-trace';
import { intOption, numberOption, parseCommand, positionals } from '../args.js';
import { coverageText, damageLines, damageOf } from '../damage-output.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openInput } from '../open-input.js';

const HELP = `Usage: aoi-trace detect <trace> [options]

Runs the AOI bug detectors over a trace (.aoitrace or NDJSON) and reports every finding with its entities, tick
and evidence. Exit code 3 when something was found or the trace is cut or damaged (the report then names the
ticks it read and those it could not), 0 when the trace is clean.
  --only <list>              detectors: ${DETECTOR_NAMES.join(', ')} (default: all)
  --max-findings <n>         findings listed per detector (counts stay exact; default 1000)
  --torn-ticks <n>           torn view must last longer than n ticks (default 0)
  --max-lag <n>              events up to n ticks late are on time (default 0)
  --adjacency-ticks <n>      contradiction must last n ticks (default 1)
  --window <n>               oscillation window in ticks (default 20)
  --max-flips <n>            transitions of one pair per window before it is flapping (default 4)
  --tolerance <d>            distances within d of a radius are ambiguous (default from the quantum)
  --from <t> --to <t>        only these ticks; a .aoitrace file seeks to the keyframe before <from> through its
                             index (the ticks before are not read; the views at <from> - 1 are taken as right)
  --json                     the whole report as one JSON object`;

export async function runDetectCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<Record<string, string | undefined>>(
    'detect',
    args,
    {
      only: { type: 'string' },
      'max-findings': { type: 'string' },
      'torn-ticks': { type: 'string' },
      'max-lag': { type: 'string' },
      'adjacency-ticks': { type: 'string' },
      window: { type: 'string' },
      'max-flips': { type: 'string' },
      tolerance: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [path] = positionals(parsed, ['trace'], 'detect');
  const v = parsed.values;
  const options: DetectOptions = {};
  if (v.only !== undefined) options.detectors = detectorList(v.only);
  assign(options, 'maxFindingsPerDetector', intOption(v['max-findings'], 'max-findings', 0));
  assign(options, 'tornTicks', intOption(v['torn-ticks'], 'torn-ticks'));
  assign(options, 'maxLagTicks', intOption(v['max-lag'], 'max-lag'));
  assign(options, 'adjacencyTicks', intOption(v['adjacency-ticks'], 'adjacency-ticks', 1));
  assign(options, 'window', intOption(v.window, 'window', 1));
  assign(options, 'maxFlipsPerWindow', intOption(v['max-flips'], 'max-flips'));
  assign(options, 'tolerance', numberOption(v.tolerance, 'tolerance', 0));
  const from = intOption(v.from, 'from');
  const to = intOption(v.to, 'to');
  const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  const input = openInput(path!);
  let report: ReturnType<typeof detect>;
  let damage: DamageEntry[];
  try {
    report = detect(input, options, range);
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
      if (count > 0)
        io.stdout.write(`  ${name}: ${count}${report.truncated.includes(name as DetectorName) ? ' (list cut)' : ''}\n`);
    }
    for (const finding of report.findings) {
      io.stdout.write(
        `tick ${finding.tick} [${finding.detector}] entities ${finding.entities.join(', ')}: ${finding.message}\n`,
      );
    }
  }
  return total > 0 || damage.length > 0 ? EXIT.findings : EXIT.ok;
}

function detectorList(text: string): DetectorName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!DETECTOR_NAMES.includes(name as DetectorName)) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        `--only: unknown detector "${name}"; the detectors are ${DETECTOR_NAMES.join(', ')}.`,
      );
    }
  }
  return names as DetectorName[];
}

function assign<K extends keyof DetectOptions>(
  options: DetectOptions,
  key: K,
  value: DetectOptions[K] | undefined,
): void {
  if (value !== undefined) options[key] = value;
}
