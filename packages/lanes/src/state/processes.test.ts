import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LaneKey } from './lane-key.js';
import type { JournalStep, ReplicaRecord } from './records.js';
import { StateStore } from './state-store.js';

// Child processes cannot load TypeScript, so the store's sources are transpiled into a temporary folder that
// resolves better-sqlite3 from the repository's node_modules.

const srcDir = fileURLToPath(new URL('..', import.meta.url));
let buildDir: string;
const dirs: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'lanes-state-build-'));
  const sources = [
    'errors.ts',
    // The one liveness rule the state shares with the rest of the platform.
    'local/error-text.ts',
    'local/proc-stat.ts',
    'local/process-liveness.ts',
    ...readdirSync(join(srcDir, 'state'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
      .map((f) => `state/${f}`),
  ];
  mkdirSync(join(buildDir, 'src', 'state'), { recursive: true });
  mkdirSync(join(buildDir, 'src', 'local'), { recursive: true });
  for (const source of sources) {
    const { outputText } = ts.transpileModule(readFileSync(join(srcDir, source), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
    });
    writeFileSync(join(buildDir, 'src', source.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(join(buildDir, 'package.json'), '{ "type": "module" }');
  const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  symlinkSync(dirname(dirname(betterSqlite)), join(buildDir, 'node_modules'), 'dir');
  writeFileSync(join(buildDir, 'worker.mjs'), workerScript);
  writeFileSync(join(buildDir, 'writer.mjs'), writerScript);
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

/** Runs JSON commands, one per stdin line, each at its `startAt` time, and answers one JSON line each. */
const workerScript = `
import { createInterface } from 'node:readline';
import { StateStore } from './src/state/state-store.js';
const store = StateStore.open(process.argv[2]);
const send = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
send({ ready: process.pid });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  while (Date.now() < command.startAt) {}
  if (command.op === 'begin') send(store.beginOperation(command.kind, command.keys));
  if (command.op === 'takeOver') send(store.takeOverOperation(command.id));
  if (command.op === 'allocate') {
    const ports = [];
    for (let i = 0; i < command.count; i++) {
      const result = store.allocatePort(command.min, command.max);
      ports.push(result.type === 'allocated' ? result.port : null);
    }
    send({ ports });
  }
}
store.close();
`;

/** Replaces a replica per iteration, journaling it, in one transaction each, until killed. */
const writerScript = `
import { StateStore } from './src/state/state-store.js';
const [dir, lane, portBase] = process.argv.slice(2);
const key = { env: 'dev', service: 'shop', lane };
const store = StateStore.open(dir);
const begin = store.beginOperation('deploy', [key]);
if (begin.type !== 'started') throw new Error(begin.type);
const op = begin.operation.id;
store.upsertLane({ ...key, desiredReplicas: 1 });
const spec = { run: { command: ['node'], cwd: '/', env: {}, portEnv: 'PORT' } };
const revision = store.addRevision(key, spec, op);
let previous;
for (let i = 0; ; i++) {
  previous = store.transaction(() => {
    if (previous !== undefined) store.updateReplica(previous, { state: 'stopped', exitCode: 0 });
    const replica = store.addReplica({ ...key, revision, port: Number(portBase) + (i % 1000), logFile: '/logs/' + i });
    store.appendStep(op, 'replica-started', { replicaId: replica.id, i });
    store.recordSample(key, { at: i, running: 1, desired: 1, healthy: 1, requests: i, errors5xx: 0 });
    return replica.id;
  });
  if (i === 50 || i === 300 || i === 1000) process.stdout.write('step ' + i + '\\n');
}
`;

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lanes-state-proc-'));
  dirs.push(dir);
  return dir;
}

/** A child process speaking newline-delimited JSON. */
class Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  readonly #waiting: ((line: string) => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #stderr = '';

  constructor(script: string, args: string[]) {
    this.process = spawn(process.execPath, [join(buildDir, script), ...args], { cwd: buildDir });
    children.push(this.process);
    let buffer = '';
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const waiter = this.#waiting.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  next(): Promise<string> {
    const line = this.#lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve, reject) => {
      this.#waiting.push(resolve);
      this.exited.then(({ code, signal }) =>
        reject(new Error(`child exited (${code ?? signal}) before answering: ${this.#stderr}`)),
      );
    });
  }

  async request(command: object): Promise<unknown> {
    this.process.stdin.write(`${JSON.stringify(command)}\n`);
    return JSON.parse(await this.next());
  }
}

async function workers(dir: string, count: number): Promise<Child[]> {
  const all = Array.from({ length: count }, () => new Child('worker.mjs', [dir]));
  for (const worker of all) expect(JSON.parse(await worker.next())).toEqual({ ready: worker.process.pid });
  return all;
}

/** Sends each worker its command to run at the same moment, and collects the answers. */
function simultaneously(all: Child[], command: (index: number) => object): Promise<unknown[]> {
  const startAt = Date.now() + 150;
  return Promise.all(all.map((worker, i) => worker.request({ ...command(i), startAt })));
}

const laneKey = (lane: string): LaneKey => ({ env: 'dev', service: 'shop', lane });

describe('several processes on one state database', () => {
  it('lets two processes begin operations on different lanes at once', async () => {
    const dir = tempDir();
    StateStore.open(dir).close();
    const all = await workers(dir, 2);
    const results = await simultaneously(all, (i) => ({ op: 'begin', kind: 'deploy', keys: [laneKey(`lane-${i}`)] }));
    expect(results).toMatchObject([{ type: 'started' }, { type: 'started' }]);
    const store = StateStore.open(dir);
    expect(
      store
        .runningOperations()
        .map((op) => op.holderPid)
        .sort(),
    ).toEqual(all.map((w) => w.process.pid).sort());
    store.close();
  });

  it('opens a fresh state file while another process writes it (the WAL conversion waits, it does not fail)', async () => {
    // PRAGMA journal_mode = WAL takes an exclusive lock and SQLite runs no busy handler for it, so two processes
    // creating the state at once failed with LANES_STATE_LOCKED at once (seen in CI). The holder keeps a write
    // transaction open on the still rollback-journal file for a moment; the open's budget is far longer.
    const dir = tempDir();
    const file = join(dir, 'state.db');
    const holder = spawn(process.execPath, [
      '-e',
      `const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
       const db = new Database(${JSON.stringify(file)});
       db.exec('CREATE TABLE held (x)');
       db.exec('BEGIN IMMEDIATE');
       db.prepare('INSERT INTO held VALUES (1)').run();
       process.stdout.write('holding\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
    ]);
    children.push(holder);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited (${code}) before holding the lock`)));
    });
    const store = StateStore.open(dir, { busyTimeoutMs: 60_000 });
    expect(store.transaction(() => store.runningOperations())).toEqual([]);
    store.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('lets exactly one of two processes lock the same lane', async () => {
    const dir = tempDir();
    const all = await workers(dir, 2);
    const results = (await simultaneously(all, () => ({ op: 'begin', kind: 'deploy', keys: [laneKey('gray')] }))) as {
      type: string;
    }[];
    expect(results.map((r) => r.type).sort()).toEqual(['busy', 'started']);
    const store = StateStore.open(dir);
    expect(store.runningOperations()).toHaveLength(1);
    store.close();
  });

  it('lets exactly one of two processes take over the same stale operation', async () => {
    const dir = tempDir();
    const store = StateStore.open(dir);
    const dead = new Child('worker.mjs', [dir]);
    await dead.next();
    dead.process.stdin.end();
    const deadPid = dead.process.pid!;
    await dead.exited;
    const begin = store.beginOperation('deploy', [laneKey('gray')], deadPid);
    if (begin.type !== 'started') throw new Error(begin.type);
    const all = await workers(dir, 2);
    const results = (await simultaneously(all, () => ({ op: 'takeOver', id: begin.operation.id }))) as {
      type: string;
    }[];
    expect(results.map((r) => r.type).sort()).toEqual(['busy', 'taken']);
    const winner = all[results.findIndex((r) => r.type === 'taken')]!;
    expect(store.getOperation(begin.operation.id)?.holderPid).toBe(winner.process.pid);
    store.close();
  });

  it('never allocates the same port to two processes allocating at once', async () => {
    const dir = tempDir();
    StateStore.open(dir).close();
    const all = await workers(dir, 2);
    const results = (await simultaneously(all, () => ({ op: 'allocate', min: 30000, max: 30999, count: 200 }))) as {
      ports: (number | null)[];
    }[];
    const ports = results.flatMap((r) => r.ports);
    expect(ports).toHaveLength(400);
    expect(ports.every((p) => typeof p === 'number' && p >= 30000 && p <= 30999)).toBe(true);
    expect(new Set(ports).size).toBe(400);
  });

  it('stays consistent when a writing process is killed with SIGKILL', async () => {
    const dir = tempDir();
    // Killed after the 51st, 301st and 1001st committed step (the writer says when), not after a wait.
    for (const [round, step] of [50, 300, 1000].entries()) {
      const lane = `kill-${round}`;
      const writer = new Child('writer.mjs', [dir, lane, String(20000 + round * 1000)]);
      for (let line = await writer.next(); line !== `step ${step}`; line = await writer.next());
      writer.process.kill('SIGKILL');
      expect(await writer.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const db = new Database(join(dir, 'state.db'));
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();

      const store = StateStore.open(dir);
      const key = laneKey(lane);
      const [operation] = store.listOperations({ laneKey: key });
      expect(operation).toMatchObject({ status: 'running', holderPid: writer.process.pid });
      const journal: JournalStep[] = store.getJournal(operation!.id);
      const replicas: ReplicaRecord[] = store.listReplicas({ laneKey: key });
      expect(journal.length).toBeGreaterThan(step);
      // Every iteration is all there or not at all: one journal step, one replica, one sample each.
      expect(replicas).toHaveLength(journal.length);
      expect(journal.map((s) => s.seq)).toEqual(journal.map((_, i) => i + 1));
      expect(journal.map((s) => (s.data as { replicaId: number }).replicaId)).toEqual(replicas.map((r) => r.id));
      expect(replicas.filter((r) => r.state === 'starting').map((r) => r.id)).toEqual([replicas.at(-1)!.id]);
      expect(store.recentSamples(key, 1)[0]?.at).toBe(journal.length - 1);
      expect(store.beginOperation('deploy', [key])).toMatchObject({ type: 'stale', operation: { id: operation!.id } });
      store.close();
    }
  });
});
