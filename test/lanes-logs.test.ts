import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LANES_BIN, runLanes, runLanesInProcess } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

let dir: string;
const lanes = (args: string[]) => runLanesInProcess([...args, '--project', dir]);
const logOf = (replica: number, lane = 'default') =>
  join(dir, '.lanes', 'logs', 'dev', 'api', lane, `replica-${replica}.log`);
const sources = (stdout: string) =>
  [
    ...new Set(
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    ),
  ].sort();
/** Times after everything the replicas wrote so far, so these lines are the lane's last. */
const at = (seconds: number) => new Date(Date.now() + 60_000 + seconds * 1000).toISOString();
let t: string[];

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/', replicas: 2 } });
  expect((await lanes(['deploy', 'api', 'default'])).code).toBe(0); // revision 1: replicas 1 and 2
  expect((await lanes(['deploy', 'api', 'default', '--set', 'VERSION=2'])).code).toBe(0); // revision 2: 3 and 4
  t = [at(1), at(2), at(3)];
  await appendFile(logOf(3), `${t[0]} first\n    at a stack line of first\n${t[2]} third\n`);
  await appendFile(logOf(4), `${t[1]} second\n`);
});
afterAll(async () => {
  await lanes(['down']);
  await rm(dir, { recursive: true, force: true });
});

it("shows the current revision's replicas by default and every replica with --all", async () => {
  expect(sources((await lanes(['logs', 'api', 'default'])).stdout)).toEqual(['[3]', '[4]']);
  expect(sources((await lanes(['logs', 'api', 'default', '--all'])).stdout)).toEqual(['[1]', '[2]', '[3]', '[4]']);
});

it('interleaves the replicas by time, --lines counting across the lane', async () => {
  const last = await lanes(['logs', 'api', 'default', '--lines', '4']);
  expect(last.stdout).toBe(
    `[3] ${t[0]} first\n[3]     at a stack line of first\n[4] ${t[1]} second\n[3] ${t[2]} third\n`,
  );
});

it('--since takes a date-time or a duration, and refuses anything else', async () => {
  const since = await lanes(['logs', 'api', 'default', '--since', t[1]!]);
  expect(since.stdout).toBe(`[4] ${t[1]} second\n[3] ${t[2]} third\n`);
  const hour = await lanes(['logs', 'api', 'default', '--since', '1h']);
  expect(hour.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(4);
  const bad = await lanes(['logs', 'api', 'default', '--since', 'yesterday']);
  expect([bad.code, bad.stderr]).toEqual([
    2,
    'lanes logs: --since must be a duration (30s, 5m, 2h) or a date-time (2026-12-06T17:00:00Z), got "yesterday"\n',
  ]);
});

it('ends quietly when its reader goes away (lanes logs | head -1)', async () => {
  await appendFile(logOf(4), `${Array.from({ length: 20_000 }, (_, i) => `${at(10)} line ${i}`).join('\n')}\n`);
  const script = `"${process.execPath}" "${LANES_BIN}" logs --project "${dir}" api default --lines 20000 | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`;
  const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await once(child, 'exit');
  expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr).toBe('exit=0\n');
});

it('follows many replicas without a MaxListenersExceededWarning', async () => {
  // A deleted lane's logs: every replica log there is shown and followed.
  const many = Array.from({ length: 15 }, (_, i) => 100 + i);
  await mkdir(join(dir, '.lanes', 'logs', 'dev', 'api', 'gone'), { recursive: true });
  for (const replica of many) await writeFile(logOf(replica, 'gone'), `${at(20)} replica ${replica}\n`);
  const follow = runLanes(['logs', '--project', dir, 'api', 'gone', '--follow', '--lines', '0']);
  try {
    // Appended until the follower prints it: it may start following after the first append.
    let seen = false;
    void follow.exit().then(() => (seen = true));
    void follow
      .waitForLine((line) => line.includes('appended'), 30_000)
      .then(
        () => (seen = true),
        () => undefined,
      );
    while (!seen) {
      await appendFile(logOf(114, 'gone'), `${at(30)} appended\n`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    follow.child.kill('SIGINT');
    await follow.exit();
  }
  expect(follow.lines.some((line) => line.includes('appended'))).toBe(true);
  expect(follow.stderr()).not.toContain('MaxListenersExceededWarning');
  expect(follow.stderr()).toBe('');
});
