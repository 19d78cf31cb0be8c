import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLog } from './follow-log.js';

const appendLines = fileURLToPath(new URL('./fixtures/append-lines.mjs', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanes-follow-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function appendFromAnotherProcess(file: string, count: number): Promise<void> {
  const child = spawn(process.execPath, [appendLines, file, String(count), '20'], { stdio: 'inherit' });
  const [code] = await once(child, 'exit');
  expect(code).toBe(0);
}

describe('followLog', () => {
  it('waits for a file that does not exist yet and sees lines another process appends', async () => {
    const file = join(dir, 'later.log');
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followLog(file, (line) => seen.push(line), { signal: controller.signal, pollMs: 50 });
    await appendFromAnotherProcess(file, 5);
    await waitFor(() => seen.length >= 5, 'five lines');
    controller.abort();
    await following;
    expect(seen).toEqual([1, 2, 3, 4, 5].map((i) => `appended line ${i}`));
  });

  it('starts at the end when asked and hands over a last line without newline when aborted', async () => {
    const file = join(dir, 'existing.log');
    await writeFile(file, 'old line\n');
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followLog(file, (line) => seen.push(line), {
      fromEnd: true,
      signal: controller.signal,
      pollMs: 50,
    });
    await appendFromAnotherProcess(file, 2);
    await waitFor(() => seen.length >= 2, 'two lines');
    await writeFile(file, 'partial', { flag: 'a' });
    controller.abort();
    await following;
    expect(seen).toEqual(['appended line 1', 'appended line 2', 'partial']);
  });

  it('reads a truncated file again from its start', async () => {
    const file = join(dir, 'truncated.log');
    await writeFile(file, 'before truncation\n');
    const seen: string[] = [];
    const controller = new AbortController();
    const following = followLog(file, (line) => seen.push(line), { signal: controller.signal, pollMs: 50 });
    await waitFor(() => seen.length === 1, 'the first line');
    await truncate(file, 0);
    await sleep(150);
    await appendFromAnotherProcess(file, 1);
    await waitFor(() => seen.length === 2, 'the line after truncation');
    controller.abort();
    await following;
    expect(seen).toEqual(['before truncation', 'appended line 1']);
  });
});
