import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunSpec } from '../model.js';
import { findFreePort } from './ports.js';
import { isProcessAlive } from './process-liveness.js';
import { readLastLines } from './read-last-lines.js';
import { type StartedReplica, startReplica } from './start-replica.js';
import { stopReplica } from './stop-replica.js';
import { waitHealthy } from './wait-healthy.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);

let workDir: string;
const startedPids: number[] = [];

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'lanes-replica-'));
});

afterEach(async () => {
  await Promise.all(startedPids.splice(0).map((pid) => stopReplica(pid, { graceMs: 200 })));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

function nodeRun(script: string, args: string[] = [], run: Partial<RunSpec> = {}): RunSpec {
  return { command: [process.execPath, fixture(script), ...args], cwd: fixtures, env: {}, portEnv: 'PORT', ...run };
}

interface Started {
  pid: number;
  port: number;
  logFile: string;
  url: string;
}

async function start(run: RunSpec, extraEnv?: Record<string, string>): Promise<Started> {
  const port = await findFreePort();
  const logFile = join(workDir, `${Math.random().toString(36).slice(2)}`, 'replica-1.log');
  const result = startReplica({ run, port, logFile, ...(extraEnv && { extraEnv }) });
  if (result.type !== 'started') throw new Error(`expected a start, got ${JSON.stringify(result)}`);
  startedPids.push(result.pid);
  return { ...result, url: `http://127.0.0.1:${port}` };
}

async function startHealthy(run: RunSpec, extraEnv?: Record<string, string>): Promise<Started> {
  const replica = await start(run, extraEnv);
  const health = await waitHealthy({ url: replica.url, path: '/healthz', timeoutMs: 10_000, pid: replica.pid });
  expect(health.type).toBe('healthy');
  return replica;
}

describe('startReplica and stopReplica', () => {
  it('starts a replica that gets healthy, logs both streams under a header, and stops on SIGTERM', async () => {
    const replica = await startHealthy(nodeRun('http-server.mjs'));
    expect(await (await fetch(`${replica.url}/healthz`)).text()).toBe('ok');

    expect(await stopReplica(replica.pid)).toEqual({ type: 'stopped', how: 'term' });
    expect(isProcessAlive(replica.pid)).toBe(false);
    const log = (await readFile(replica.logFile, 'utf8')).split('\n');
    expect(log[0]).toContain(`on port ${replica.port}`);
    expect(log[0]).toContain(fixture('http-server.mjs'));
    expect(log).toContain(`listening on ${replica.port}`);
    expect(log).toContain(`stderr works on ${replica.port}`);
  });

  it('keeps the replica running when the process that started it is killed with its process group', async () => {
    const compiled = await compileForChild(workDir);
    const port = await findFreePort();
    const options = { run: nodeRun('http-server.mjs'), port, logFile: join(workDir, 'orphan', 'replica-1.log') };
    const starter = spawn(process.execPath, [fixture('start-in-child.mjs'), compiled, JSON.stringify(options)], {
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const output = await firstLine(starter.stdout!);
    if (output === undefined) throw new Error('the child exited without starting the replica');
    const result = JSON.parse(output) as StartedReplica;
    if (result.type !== 'started') throw new Error(`the child could not start the replica: ${result.message}`);
    startedPids.push(result.pid);

    // Ctrl-C in a terminal signals the CLI's whole process group; the replica must not be in it.
    const exited = once(starter, 'exit');
    process.kill(-starter.pid!, 'SIGINT');
    await exited;

    const url = `http://127.0.0.1:${port}`;
    const health = await waitHealthy({ url, path: '/healthz', timeoutMs: 10_000, pid: result.pid });
    expect(health.type).toBe('healthy');
    expect(await stopReplica(result.pid)).toEqual({ type: 'stopped', how: 'term' });
    expect(isProcessAlive(result.pid)).toBe(false);
  });

  it('kills a replica that ignores SIGTERM after the grace period, together with its child processes', async () => {
    const replica = await startHealthy(nodeRun('ignore-sigterm.mjs'));
    const grandchild = Number(
      (await readLastLines(replica.logFile, 20)).find((line) => line.startsWith('grandchild pid '))?.slice(15),
    );
    expect(isProcessAlive(grandchild)).toBe(true);

    expect(await stopReplica(replica.pid, { graceMs: 500 })).toEqual({ type: 'stopped', how: 'kill' });
    expect(isProcessAlive(replica.pid)).toBe(false);
    expect(isProcessAlive(grandchild)).toBe(false);
    expect(await readLastLines(replica.logFile, 5)).toContain('ignoring SIGTERM');
  });

  it('says already-gone for a replica that has exited', async () => {
    const replica = await start(nodeRun('crash.mjs'));
    const health = await waitHealthy({ url: replica.url, path: '/healthz', timeoutMs: 10_000, pid: replica.pid });
    expect(health.type).toBe('exited');
    expect(await stopReplica(replica.pid)).toEqual({ type: 'stopped', how: 'already-gone' });
  });

  it('refuses pids that would signal more than one replica or this process', async () => {
    for (const pid of [0, 1, -5, 1.5, process.pid]) {
      await expect(stopReplica(pid)).rejects.toMatchObject({ code: 'LANES_INVALID_PID' });
    }
  });
});

describe('startReplica failures', () => {
  const logFile = () => join(workDir, 'failures', `${Math.random().toString(36).slice(2)}.log`);

  it('reports a command that is not on PATH, naming the command and the working directory', async () => {
    const file = logFile();
    const result = startReplica({
      run: { command: ['lanes-no-such-command', '--serve'], cwd: fixtures, env: {}, portEnv: 'PORT' },
      port: 1,
      logFile: file,
    });
    expect(result.type).toBe('spawn-failed');
    if (result.type !== 'spawn-failed') return;
    expect(result.message).toContain('lanes-no-such-command --serve');
    expect(result.message).toContain(fixtures);
    expect(result.message).toContain('not found on PATH');
    expect(await readLastLines(file, 1)).toEqual([expect.stringContaining(result.message)]);
  });

  it('reports a working directory that does not exist', () => {
    const cwd = join(workDir, 'no-such-dir');
    const result = startReplica({ run: nodeRun('http-server.mjs', [], { cwd }), port: 1, logFile: logFile() });
    expect(result).toEqual({ type: 'spawn-failed', message: expect.stringContaining(cwd) });
    expect(result.type === 'spawn-failed' && result.message).toContain('working directory does not exist');
  });

  it('reports a command file that is not executable', async () => {
    const script = join(workDir, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\necho hi\n');
    await chmod(script, 0o644);
    const result = startReplica({
      run: { command: [script], cwd: workDir, env: {}, portEnv: 'PORT' },
      port: 1,
      logFile: logFile(),
    });
    expect(result).toEqual({ type: 'spawn-failed', message: expect.stringContaining('not executable') });
  });
});

describe('the replica environment', () => {
  const leak = 'LANES_TEST_SHOULD_NOT_LEAK';
  afterEach(() => {
    delete process.env[leak];
  });

  it('has the port, run.env, extraEnv and the inherited names, and nothing else of the parent', async () => {
    process.env[leak] = 'secret';
    const run = nodeRun('http-server.mjs', ['APP_PORT'], {
      portEnv: 'APP_PORT',
      env: { GREETING: 'hi', LANE: 'from-run', APP_PORT: 'from-run' },
    });
    const replica = await startHealthy(run, { LANE: 'gray' });
    const env = (await (await fetch(`${replica.url}/env`)).json()) as Record<string, string>;

    expect(env).toMatchObject({ APP_PORT: String(replica.port), GREETING: 'hi', LANE: 'gray' });
    expect(env[leak]).toBeUndefined();
    const inherited = ['PATH', 'HOME', 'LANG', 'TZ'].filter((name) => process.env[name] !== undefined);
    for (const name of inherited) expect(env[name]).toBe(process.env[name]);
    expect(Object.keys(env).sort()).toEqual([...inherited, 'APP_PORT', 'GREETING', 'LANE'].sort());
  });
});

async function firstLine(input: Readable): Promise<string | undefined> {
  for await (const line of createInterface({ input })) return line;
  return undefined;
}

/**
 * Compiles the local provider's sources to JavaScript in `into`, so a plain Node child process (which cannot load
 * TypeScript on Node 20) can call the real startReplica; returns the compiled start-replica.js.
 */
async function compileForChild(into: string): Promise<string> {
  const localDir = fileURLToPath(new URL('.', import.meta.url));
  const srcDir = dirname(localDir);
  const outDir = join(into, 'compiled');
  const sources = [
    ...(await readdir(localDir))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
      .map((name) => join(localDir, name)),
    join(srcDir, 'errors.ts'),
    join(srcDir, 'model.ts'),
  ];
  for (const source of sources) {
    const { outputText } = ts.transpileModule(await readFile(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    const out = join(outDir, relative(srcDir, source)).replace(/\.ts$/, '.js');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return join(outDir, 'local', 'start-replica.js');
}
