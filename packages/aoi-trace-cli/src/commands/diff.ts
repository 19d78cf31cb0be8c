import { diffTraces, FiguresStream, TraceError, TraceErrorCode, teeInput } from '@lanes/aoi-trace';
import { intOption, numberOption, parseCommand, positionals } from '../args.js';
import { damageLines, damageOf } from '../damage-output.js';
import { FIGURES_HELP, FIGURES_OPTIONS, figuresComparisonLines, figuresOptionsOf } from '../figures-output.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openInput } from '../open-input.js';

const HELP = `Usage: aoi-trace diff <a> <b> [--order set|sequence] [--max-items <n>] [--position-tolerance <d>] [--json]

Compares two traces of the same scenario (two engine versions, two configurations, two lanes) tick by tick: the
first divergent tick, events only in one, view differences (who saw whom in one and not the other), positions
that differ. Exit code 3 when they differ or either is cut or damaged (listed), 0 when they are identical.
Then the designer's figures of each run and the change from a to b: enter/leave churn per tick and the watchers
with most of it, oscillation findings, view-set sizes (p50/p99), bytes sent per tick under a message-size model:
${FIGURES_HELP}`;

export async function runDiffCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ order?: string; 'max-items'?: string; 'position-tolerance'?: string }>(
    'diff',
    args,
    {
      order: { type: 'string' },
      'max-items': { type: 'string' },
      'position-tolerance': { type: 'string' },
      ...FIGURES_OPTIONS,
    },
    HELP,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const [pathA, pathB] = positionals(parsed, ['a', 'b'], 'diff');
  const order = parsed.values.order;
  if (order !== undefined && order !== 'set' && order !== 'sequence') {
    throw new TraceError(TraceErrorCode.InvalidArgument, `--order must be set or sequence, got "${order}".`);
  }
  const maxItems = intOption(parsed.values['max-items'], 'max-items');
  const tolerance = numberOption(parsed.values['position-tolerance'], 'position-tolerance', 0);
  const figuresOptions = figuresOptionsOf(parsed.values);
  const a = openInput(pathA!);
  const b = openInput(pathB!);
  try {
    // The figures are computed in the diff's own pass over each trace.
    const figuresA = new FiguresStream(figuresOptions);
    const figuresB = new FiguresStream(figuresOptions);
    const diff = diffTraces(teeInput(a, figuresA), teeInput(b, figuresB), {
      ...(order === undefined ? {} : { order }),
      ...(maxItems === undefined ? {} : { maxItems }),
      ...(tolerance === undefined ? {} : { positionTolerance: tolerance }),
    });
    const damage = { a: damageOf(a), b: damageOf(b) };
    const damaged = damage.a.length + damage.b.length > 0;
    const figures = { a: figuresA.result(), b: figuresB.result() };
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify(damaged ? { ...diff, figures, damage } : { ...diff, figures })}\n`);
    } else if (diff.identical) {
      io.stdout.write(`identical: ${diff.ticksCompared} ticks compared\n`);
    } else {
      const lines = [
        `different: first at tick ${diff.firstDivergentTick ?? '-'} (${diff.ticksCompared} ticks compared, ${diff.divergentTicks.total} differ)`,
        `  events only in a: ${diff.eventsOnlyInA}, only in b: ${diff.eventsOnlyInB}`,
        `  ticks only in a: ${diff.ticksOnlyInA.total}, only in b: ${diff.ticksOnlyInB.total}`,
        `  view differences: ${diff.views.total}, position differences: ${diff.positions.total}`,
        ...diff.views.items.slice(0, 20).map((d) => `  view ${JSON.stringify(d)}`),
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!parsed.values.json) io.stdout.write(`${figuresComparisonLines(figures.a, figures.b).join('\n')}\n`);
    if (damaged && !parsed.values.json) {
      const lines = [...damageLines(damage.a, pathA), ...damageLines(damage.b, pathB)];
      io.stdout.write(`damaged input: ticks lost there were not compared\n${lines.join('\n')}\n`);
    }
    return diff.identical && !damaged ? EXIT.ok : EXIT.findings;
  } finally {
    a.close?.();
    b.close?.();
  }
}
