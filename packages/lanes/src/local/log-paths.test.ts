import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laneLogFiles, logFileFor } from './log-paths.js';

const gray = { env: 'dev', service: 'shop', lane: 'gray' };

describe('logFileFor', () => {
  it('places a replica log under logs/{env}/{service}/{lane}', () => {
    expect(logFileFor('/p/.lanes', gray, 2)).toBe('/p/.lanes/logs/dev/shop/gray/replica-2.log');
  });

  it('refuses names that would leave the logs folder', () => {
    for (const key of [
      { env: 'dev', service: '..', lane: 'gray' },
      { env: 'dev', service: 'shop', lane: 'a/b' },
      { env: '', service: 'shop', lane: 'gray' },
    ]) {
      expect(() => logFileFor('/p/.lanes', key, 1)).toThrow(
        expect.objectContaining({ code: 'LANES_INVALID_LOG_PATH' }),
      );
    }
    expect(() => logFileFor('/p/.lanes', gray, '../x')).toThrow(
      expect.objectContaining({ code: 'LANES_INVALID_LOG_PATH' }),
    );
  });
});

describe('laneLogFiles', () => {
  it('lists the replica logs of a lane in replica order and nothing else', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'lanes-log-files-'));
    try {
      expect(await laneLogFiles(stateDir, gray)).toEqual([]);
      for (const id of [10, 2, 1]) {
        const file = logFileFor(stateDir, gray, id);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, '');
      }
      await writeFile(join(dirname(logFileFor(stateDir, gray, 1)), 'notes.txt'), '');
      const files = await laneLogFiles(stateDir, gray);
      expect(files).toEqual(
        ['1', '2', '10'].map((replica) => ({ replica, path: logFileFor(stateDir, gray, replica) })),
      );
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
