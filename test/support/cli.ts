import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main as aoiTraceMain } from '@lanes/aoi-trace-cli';
import { type CliDeps, main } from '@lanes/cli';

export const LANES_BIN = fileURLToPath(new URL('../../packages/lanes-cli/bin/lanes.js', import.meta.url));
export const AOI_TRACE_BIN = fileURLToPath(new URL('../../packages/aoi-trace-cli/bin/aoi-trace.js', import.meta.url));

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  /** Every complete stdout line so far. */
  lines: string[];
  stderr(): string;
  /** Resolves with the first stdout line that satisfies `match`. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exit(): Promise<number | null>;
}

/** Runs the built `lanes` CLI as a real child process (tests of the CLI contract, not the library). */
export function runLanes(args: string[]): CliProcess {
  return runNodeBin(LANES_BIN, args);
}

/** Runs the built `aoi-trace` CLI as a real child process. */
export function runAoiTrace(args: string[]): CliProcess {
  return runNodeBin(AOI_TRACE_BIN, args);
}

/** Runs the built `aoi-trace` CLI to its end: exit code, stdout (complete lines) and stderr. */
export async function runAoiTraceToEnd(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = runAoiTrace(args);
  const code = await cli.exit();
  return { code, stdout: cli.lines.join('\n'), stderr: cli.stderr() };
}

/** Runs a Node script as a real child process (an example's launcher, say); `env` is added to this one's. */
export function runNodeScript(
  script: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): CliProcess {
  return runNodeBin(script, args, options.cwd, options.env);
}

function runNodeBin(bin: string, args: string[], cwd?: string, env?: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: 'pipe',
    ...(cwd === undefined ? {} : { cwd }),
    ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    lines,
    stderr: () => err,
    waitForLine: (match, timeoutMs = 10_000) => {
      const found = lines.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching line; stdout: ${lines.join('\n')}; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => setTimeout(() => reject(new Error(`exited; stderr: ${err}`)), 50));
      });
    },
    exit: () => exited,
  };
}

/** What a CLI run in this process wrote and returned. */
export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a CLI's injectable `main` with its own stdout and stderr, as a user would run the command. */
async function runInProcess(run: (io: { stdout: PassThrough; stderr: PassThrough }) => Promise<number>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const code = await run({ stdout, stderr });
  return { code, stdout: out, stderr: err } satisfies InProcessRun;
}

/** Runs the `lanes` CLI in this process, as a user would run `lanes ...`. */
export function runLanesInProcess(args: string[], deps: CliDeps = {}): Promise<InProcessRun> {
  return runInProcess((io) => main(args, io, deps));
}

/** Runs the `aoi-trace` CLI in this process, as a user would run `aoi-trace ...`. */
export function runAoiTraceInProcess(args: string[]): Promise<InProcessRun> {
  return runInProcess((io) => aoiTraceMain(args, io));
}
