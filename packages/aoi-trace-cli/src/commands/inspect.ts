import { describeDamage, type TraceIntegrity } from '@lanes/aoi-trace';
import { type CliIo, defineCommand, EXIT, type ExitCode } from '@lanes/cli-kit';
import { openAoitrace } from '../open-input.js';

export const inspectCommand = defineCommand({
  name: 'inspect',
  summary: 'header, sizes, integrity (cut or damaged chunks)',
  positionals: [{ name: 'file.aoitrace' }],
  description: `Prints the header, the tick range, sizes by chunk kind, and the file's integrity: whether the writer finished,
where a cut file ends, every damaged chunk with its offset, and the ticks lost to it (the gap, and the tick where
reading resumed). Exit code 3 when the file is cut, damaged or out of order.`,
  options: {
    verify: {
      type: 'boolean',
      description: 'decode every chunk first (slower; finds damage anywhere, and chunks whose ticks are out of order)',
    },
  },
  async run(parsed, io) {
    return inspect(parsed.positionals[0] as string, parsed.values.verify === true, parsed.values.json === true, io);
  },
});

function inspect(path: string, verify: boolean, json: boolean, io: CliIo): ExitCode {
  const reader = openAoitrace(path);
  try {
    const integrity = verify ? reader.verify() : reader.integrity;
    const stats = reader.stats();
    const damage = reader.damageReport;
    const sound = integrity.complete && integrity.corrupt.length === 0 && damage.length === 0;
    const report = {
      file: path,
      header: reader.header,
      firstTick: reader.firstTick ?? null,
      lastTick: reader.lastTick ?? null,
      stats,
      integrity,
      /** False when anything is wrong: cut, damaged, out of order (`damage` says what). */
      sound,
      damage,
    };
    if (json) {
      io.stdout.write(`${JSON.stringify(report)}\n`);
      return sound ? EXIT.ok : EXIT.findings;
    }
    const h = reader.header;
    const lines = [
      `${path}`,
      `  source       ${h.source}`,
      `  started      ${new Date(h.startTime).toISOString()}`,
      `  ticks        ${report.firstTick ?? '-'}..${report.lastTick ?? '-'} (${stats.ticks} recorded)`,
      `  content      ${stats.moves} moves, ${stats.events} events, ${stats.keyframes} keyframes, ${stats.chunks} chunks`,
      `  size         ${stats.fileBytes} bytes (${Object.entries(stats.bytesByKind)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')})`,
      `  quantum      ${h.quantum}, epsilon ${h.epsilon}, region ${h.regionSize}`,
      `  tags         ${h.tagNames.join(', ') || '-'}`,
      ...Object.entries(h.attributes).map(([k, v]) => `  attribute    ${k}=${v}`),
      `  integrity    ${integrityText(integrity, damage.length)}`,
      ...damage.map((d) => `  ${d.type.padEnd(12)} ${describeDamage(d).replace(/^[a-z -]+: /, '')}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return sound ? EXIT.ok : EXIT.findings;
  } finally {
    reader.close();
  }
}

function integrityText(integrity: TraceIntegrity, problems: number): string {
  if (!integrity.complete) return `cut at byte ${integrity.cutAt ?? '?'} (no index: rebuilt by scanning)`;
  return problems === 0 ? 'complete' : `index intact, but ${problems} problem(s):`;
}
