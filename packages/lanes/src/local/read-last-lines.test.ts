import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLastLines } from './read-last-lines.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanes-last-lines-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readLastLines', () => {
  it('returns the last lines of a 5 MB file', async () => {
    const file = join(dir, 'large.log');
    const lines = Array.from({ length: 120_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 70)}`);
    await writeFile(file, `${lines.join('\n')}\n`);
    expect(await readLastLines(file, 3)).toEqual(lines.slice(-3));
    expect(await readLastLines(file, 5000)).toEqual(lines.slice(-5000));
  });

  it('keeps lines longer than a read chunk and characters split between chunks whole', async () => {
    const file = join(dir, 'long-lines.log');
    const long = 'é'.repeat(100_001);
    await writeFile(file, `first\n${long}\nlast`);
    expect(await readLastLines(file, 2)).toEqual([long, 'last']);
    expect(await readLastLines(file, 10)).toEqual(['first', long, 'last']);
  });

  it('accepts CRLF endings and blank lines', async () => {
    const file = join(dir, 'crlf.log');
    await writeFile(file, 'a\r\n\r\nb\r\n');
    expect(await readLastLines(file, 3)).toEqual(['a', '', 'b']);
  });

  it('returns no lines for a missing or empty file, or when none are asked for', async () => {
    const empty = join(dir, 'empty.log');
    await writeFile(empty, '');
    expect(await readLastLines(join(dir, 'missing.log'), 5)).toEqual([]);
    expect(await readLastLines(empty, 5)).toEqual([]);
    await appendFile(empty, 'only\n');
    expect(await readLastLines(empty, 0)).toEqual([]);
    expect(await readLastLines(empty, 5)).toEqual(['only']);
  });
});
