// `lanes up` warns when the replica port range overlaps the kernel's ephemeral ports, where a health check of a
// replica not listening yet can connect to itself (TCP simultaneous open) and read its own request back.
import { rm } from 'node:fs/promises';
import { readEphemeralPortRange } from '@lanes/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliProcess, LANES_BIN, runNodeScript } from './support/cli.js';
import { createProject } from './support/lanes-project.js';

const ephemeral = readEphemeralPortRange();
let dir: string;

beforeAll(async () => {
  dir = await createProject({ api: { pathPrefix: '/' } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Resolves once the child's stderr so far matches `pattern`. */
function stderrMatching(cli: CliProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = cli
        .stderr()
        .split('\n')
        .find((text) => pattern.test(text));
      if (line !== undefined) resolve(line);
    };
    cli.child.stderr.on('data', check);
    cli.child.once('exit', (code) => reject(new Error(`lanes up exited (${code}): ${cli.stderr()}`)));
    check();
  });
}

// Skipped where there is no ephemeral range to overlap: not Linux, or /proc/sys/net/ipv4/ip_local_port_range unreadable.
describe.skipIf(ephemeral === undefined)('lanes up: a replica port range inside the ephemeral ports (Linux)', () => {
  it("warns, naming LANES_PORT_RANGE and the kernel's range, and comes up anyway", async () => {
    const [, last] = ephemeral as [number, number];
    const range = `${last - 399}-${last}`;
    const up = runNodeScript(LANES_BIN, ['up', '--project', dir], { env: { LANES_PORT_RANGE: range } });
    try {
      const warning = await stderrMatching(up, /PORT_RANGE|ephemeral/);
      expect(warning).toContain(`! LANES_PORT_RANGE ${range} overlaps the kernel's ephemeral ports`);
      expect(warning).toContain(`${ephemeral?.[0]}-${last} (/proc/sys/net/ipv4/ip_local_port_range)`);
      expect(warning).toContain('set LANES_PORT_RANGE to ports outside');
      await up.waitForLine((line) => line.startsWith('lanes platform up:'), 60_000);
    } finally {
      up.child.kill('SIGINT');
      expect(await up.exit()).toBe(0);
    }
  }, 90_000);
});
