import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LanesEvent } from '../io-host.js';
import { readEphemeralPortRange } from '../local/ephemeral-ports.js';
import { warnIfPortRangeEphemeral } from './port-range.js';

const dir = mkdtempSync(join(tmpdir(), 'lanes-port-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for /proc/sys/net/ipv4/ip_local_port_range with `text` in it. */
function rangeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const KERNEL = rangeFile('kernel', '32768\t60999\n');

function warnings(portRange: [number, number] | undefined, file: string, platform: NodeJS.Platform = 'linux') {
  const events: LanesEvent[] = [];
  const io = { notify: (event: LanesEvent) => events.push(event) };
  warnIfPortRangeEphemeral(portRange === undefined ? { io } : { io, portRange }, { file, platform });
  return events;
}

describe('readEphemeralPortRange', () => {
  it("reads the kernel's two numbers, tab or spaces between them", () => {
    expect(readEphemeralPortRange({ file: KERNEL, platform: 'linux' })).toEqual([32768, 60999]);
    expect(readEphemeralPortRange({ file: rangeFile('spaces', '  1024   65535 '), platform: 'linux' })).toEqual([
      1024, 65535,
    ]);
  });

  it('knows nothing off Linux, for a missing file, or for a file that is not two ports in order', () => {
    expect(readEphemeralPortRange({ file: KERNEL, platform: 'darwin' })).toBeUndefined();
    expect(readEphemeralPortRange({ file: join(dir, 'absent'), platform: 'linux' })).toBeUndefined();
    expect(readEphemeralPortRange({ file: dir, platform: 'linux' })).toBeUndefined(); // a folder: EISDIR
    for (const [name, text] of [
      ['empty', ''],
      ['one', '32768\n'],
      ['reversed', '60999 32768\n'],
      ['three', '1 2 3\n'],
      ['too-big', '32768 70000\n'],
      ['words', 'many ports\n'],
      ['long', `32768 ${'6'.repeat(100_000)}\n`],
    ] as const) {
      expect(readEphemeralPortRange({ file: rangeFile(name, text), platform: 'linux' }), name).toBeUndefined();
    }
  });
});

describe('warnIfPortRangeEphemeral', () => {
  it('warns once when LANES_PORT_RANGE overlaps the ephemeral range, naming both and the shared ports', () => {
    const [event, ...more] = warnings([32000, 33999], KERNEL);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      code: 'PORT_RANGE_EPHEMERAL',
      level: 'warn',
      data: { range: [32000, 33999], ephemeral: [32768, 60999], shared: [32768, 33999] },
    });
    expect(event?.message).toContain('LANES_PORT_RANGE 32000-33999 overlaps');
    expect(event?.message).toContain(`ephemeral ports 32768-60999 (${KERNEL}) in 32768-33999`);
    // One shared port at either end is an overlap too.
    expect(warnings([60999, 61999], KERNEL)).toHaveLength(1);
    expect(warnings([31000, 32768], KERNEL)).toHaveLength(1);
  });

  it('says nothing for a range beside it, off Linux, or when the file cannot be read', () => {
    expect(warnings([20000, 32767], KERNEL)).toEqual([]);
    expect(warnings([61000, 62000], KERNEL)).toEqual([]);
    expect(warnings(undefined, KERNEL)).toEqual([]);
    expect(warnings([32000, 33999], KERNEL, 'darwin')).toEqual([]);
    expect(warnings([32000, 33999], join(dir, 'absent'))).toEqual([]);
  });

  it('warns about the default range too when the kernel hands out ports from below 30000', () => {
    const [event] = warnings(undefined, rangeFile('wide', '10000 65000\n'));
    expect(event?.message).toContain('the default replica port range 20000-29999 overlaps');
    expect(event?.data).toMatchObject({ shared: [20000, 29999] });
  });
});
