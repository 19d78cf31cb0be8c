import { parseCommand, positionals } from '../args.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { openAoitrace } from '../open-input.js';

const HELP = `Usage: aoi-trace inspect <file.aoitrace> [--verify] [--json]

Prints the header, the tick range, sizes by chunk kind, and the file's integrity: whether the writer finished,
where a cut file ends, and every damaged chunk with its offset. --verify decodes every chunk first (slower; finds
damage anywhere). Exit code 3 when the file is cut or damaged.`;

export async function runInspectCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand<{ verify?: boolean }>('inspect', args, { verify: { type: 'boolean' } }, HELP, io);
  if (typeof parsed === 'number') return parsed;
  const [path] = positionals(parsed, ['file.aoitrace'], 'inspect');
  const reader = openAoitrace(path!);
  try {
    const integrity = parsed.values.verify ? reader.verify() : reader.integrity;
    const stats = reader.stats();
    const sound = integrity.complete && integrity.corrupt.length === 0;
    const report = {
      file: path,
      header: reader.header,
      firstTick: reader.firstTick ?? null,
      lastTick: reader.lastTick ?? null,
      stats,
      integrity,
    };
    if (parsed.values.json) {
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
      `  integrity    ${integrity.complete ? 'complete' : `cut at byte ${integrity.cutAt ?? '?'} (no index: rebuilt by scanning)`}`,
      ...integrity.corrupt.map((c) => `  damaged      chunk at byte ${c.offset}: ${c.reason}`),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return sound ? EXIT.ok : EXIT.findings;
  } finally {
    reader.close();
  }
}
