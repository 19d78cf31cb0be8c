import { FORMAT_VERSIONS, NEWEST_FORMAT, openTraceReader } from '@lanes/aoi-trace';
import { defineCommand, EXIT } from '@lanes/cli-kit';
import { copyTrace } from '../copy-trace.js';
import { damageOf, warnDamage } from '../damage-output.js';
import { writeOutputAtomically } from '../open-output.js';

export const convertCommand = defineCommand({
  name: 'convert',
  summary: 'rewrite an .aoitrace in another format version (3.x: events stored against the prediction)',
  positionals: [{ name: 'trace.aoitrace' }],
  description: `Reads an .aoitrace of any version this tool reads and writes it again in format --to: 3.1 (the default, the
newest) and 3.0 store only the events that differ from what the recorded rule predicts (docs/aoitrace-format.md,
"Version 3"; 3.1 also predicts the keyframes' view sets), 2.2 every event (what older readers read). The ticks read back identical either way. A damaged input is converted as far as it can be
read; the damage is listed on stderr (exit code 3) and the output records the gaps.`,
  options: {
    out: { type: 'string', short: 'o', value: '<file.aoitrace>', required: true, description: 'the trace to write' },
    to: {
      type: 'choice',
      choices: FORMAT_VERSIONS,
      default: NEWEST_FORMAT,
      description: 'the format version to write',
    },
  },
  async run({ values, positionals: [path] }, io) {
    const out = values.out as string;
    const to = values.to ?? NEWEST_FORMAT;
    const input = openTraceReader(path as string);
    let ticks: number;
    try {
      ticks = writeOutputAtomically(out, (output) => copyTrace(input, output.sink), { format: to });
    } finally {
      input.close();
    }
    const from = `${input.formatMajor}.${input.formatMinor ?? 'x'}`;
    if (values.json) io.stdout.write(`${JSON.stringify({ out, ticks, from, to })}\n`);
    else io.stdout.write(`${out}: ${ticks} ticks converted from format ${from} to ${to}\n`);
    const damage = damageOf(input);
    warnDamage(io, 'convert', damage, values.json === true);
    return damage.length > 0 ? EXIT.findings : EXIT.ok;
  },
});
