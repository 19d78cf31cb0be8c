import { DIFF_ORDERS, diffTraces, FiguresStream, teeInput } from '@lanes/aoi-trace';
import { defineCommand, EXIT } from '@lanes/cli-kit';
import { damageLines, damageOf } from '../damage-output.js';
import { FIGURES_OPTIONS, figuresComparisonLines, figuresOptionsOf } from '../figures-output.js';
import { openInput } from '../open-input.js';

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'compare two traces of the same scenario',
  positionals: [{ name: 'a' }, { name: 'b' }],
  description: `Compares two traces of the same scenario (two engine versions, two configurations, two lanes) tick by tick: the
first divergent tick, events only in one, view differences (who saw whom in one and not the other), positions
that differ. Exit code 3 when they differ or either is cut or damaged (listed), 0 when they are identical.
Then the designer's figures of each run and the change from a to b: enter/leave churn per tick and the watchers
with most of it, oscillation findings, view-set sizes (p50/p99), bytes sent per tick under a message-size model.`,
  options: {
    order: {
      type: 'choice',
      choices: DIFF_ORDERS,
      default: 'set',
      description: "compare each tick's events as a set, or in their order",
    },
    'max-items': { type: 'integer', value: '<n>', default: '100', description: 'differences listed per kind' },
    'position-tolerance': {
      type: 'number',
      value: '<d>',
      default: '0',
      description: 'positions closer than d are the same',
    },
    ...FIGURES_OPTIONS,
  },
  async run({ values, positionals }, io) {
    const [pathA, pathB] = positionals as [string, string];
    const { order } = values;
    const maxItems = values['max-items'];
    const tolerance = values['position-tolerance'];
    const a = openInput(pathA);
    const b = openInput(pathB);
    try {
      // The figures are computed in the diff's own pass over each trace.
      const figuresOptions = figuresOptionsOf(values);
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
      if (values.json) {
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
      if (!values.json) io.stdout.write(`${figuresComparisonLines(figures.a, figures.b).join('\n')}\n`);
      if (damaged && !values.json) {
        const lines = [...damageLines(damage.a, pathA), ...damageLines(damage.b, pathB)];
        io.stdout.write(`damaged input: ticks lost there were not compared\n${lines.join('\n')}\n`);
      }
      return diff.identical && !damaged ? EXIT.ok : EXIT.findings;
    } finally {
      a.close?.();
      b.close?.();
    }
  },
});
