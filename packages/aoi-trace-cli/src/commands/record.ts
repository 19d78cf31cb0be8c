import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import {
  FORMAT_VERSIONS,
  parseNdjsonLine,
  TickValidator,
  TraceError,
  TraceErrorCode,
  type TraceWriterOptions,
} from '@lanes/aoi-trace';
import { type CliIo, defineCommand, EXIT, type ExitCode } from '@lanes/cli-kit';
import { openOutput } from '../open-output.js';

export const recordCommand = defineCommand({
  name: 'record',
  summary: 'record a game server that prints aoi-trace NDJSON on stdout',
  rest: '<command> [args...]',
  description: `Runs a game server (any language) that prints aoi-trace NDJSON on stdout (docs/aoi-trace-ndjson.md) and records
it. Every line is validated: a bad line is skipped and reported on stderr with its line number, field and reason,
and the recording goes on. Ends when the command exits (or on Ctrl-C, which is passed on to it); the file is
closed properly either way. Exit code: the command's if it failed, 3 if lines were rejected, else 0.`,
  options: {
    out: { type: 'string', short: 'o', value: '<file.aoitrace>', required: true, description: 'the trace to write' },
    format: {
      type: 'choice',
      choices: FORMAT_VERSIONS,
      default: '2.2',
      description: 'the .aoitrace version (3.x: only the events the geometry does not predict; 3.1 the newest)',
    },
  },
  async run({ values, rest }, io) {
    const [program, ...args] = rest;
    if (program === undefined) {
      throw new TraceError(
        TraceErrorCode.InvalidArgument,
        'give the command to record after --: record --out <file> -- <command> [args...]',
      );
    }
    const { format } = values;
    return record(values.out as string, program, args, io, format === undefined ? {} : { format });
  },
});

async function record(
  out: string,
  program: string,
  args: readonly string[],
  io: CliIo,
  options: TraceWriterOptions,
): Promise<ExitCode> {
  // Opened at the header, so a command that never produces one leaves no empty file behind.
  let output: ReturnType<typeof openOutput> | undefined;
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  let validator: TickValidator | undefined;
  let lineNumber = 0;
  let ticks = 0;
  let rejected = 0;
  const reject = (error: TraceError) => {
    rejected++;
    io.stderr.write(`aoi-trace record: rejected: ${error.message}\n`);
  };
  try {
    const exited = new Promise<number>((resolve, fail) => {
      child.once('error', fail);
      child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    for await (const line of createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++;
      if (line.trim() === '') continue;
      try {
        const parsedLine = parseNdjsonLine(line, lineNumber, { eventBase: validator?.nextEventId ?? 0 });
        if (parsedLine.type === 'header') {
          if (validator !== undefined)
            throw new TraceError(TraceErrorCode.InvalidRecord, `line ${lineNumber}: a second header.`);
          validator = new TickValidator(parsedLine.header);
          output = openOutput(out, options);
          output.sink.begin(parsedLine.header);
          continue;
        }
        if (validator === undefined)
          throw new TraceError(TraceErrorCode.InvalidRecord, `line ${lineNumber}: a tick before the header.`);
        const error = validator.check(parsedLine.record, lineNumber);
        if (error !== undefined) throw error;
        validator.apply(parsedLine.record);
        output!.sink.writeTick(parsedLine.record);
        ticks++;
      } catch (error) {
        if (!(error instanceof TraceError)) throw error;
        reject(error);
      }
    }
    const code = await exited;
    io.stderr.write(`${out}: ${ticks} ticks recorded, ${rejected} line(s) rejected; the command exited with ${code}\n`);
    if (code !== 0) return code > 255 ? EXIT.internal : (code as ExitCode);
    return rejected > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    output?.close();
  }
}
