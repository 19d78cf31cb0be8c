import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { procStartTime } from './proc-stat.js';
import { isProcessAlive } from './process-liveness.js';

describe('isProcessAlive', () => {
  it('is true for this process and false for pids that address groups or nothing', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    for (const pid of [0, -1, -process.pid, 1.5, Number.NaN]) expect(isProcessAlive(pid)).toBe(false);
  });

  it('is false once a process has exited', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid!;
    await once(child, 'exit');
    expect(isProcessAlive(pid)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('is false for a pid whose start time is not the recorded one', () => {
    const startTime = procStartTime(process.pid)!;
    expect(Number.isSafeInteger(startTime)).toBe(true);
    expect(isProcessAlive(process.pid, startTime)).toBe(true);
    // Same pid, other start time: a process that reused the pid of the one recorded.
    expect(isProcessAlive(process.pid, startTime + 1)).toBe(false);
  });

  it.skipIf(process.platform !== 'linux')('is false for a zombie that still answers signal 0', async () => {
    // The background sleep's parent execs into a long sleep that never reaps it, so it stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [output] = (await once(parent.stdout!, 'data')) as [Buffer];
      const zombie = Number(output.toString().trim());
      while (!readFileSync(`/proc/${zombie}/stat`, 'utf8').includes(') Z ')) await sleep(20);
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isProcessAlive(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
