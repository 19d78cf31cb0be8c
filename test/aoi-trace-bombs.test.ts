// Issue 15's decompression bombs through every aoi-trace command, as real child processes with a capped heap: each
// ends with a documented exit code, never V8's out-of-memory abort, and its peak RSS stays within the 512 MB that
// docs/aoitrace-format.md ("Limits") promises for any input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { zeroBombFile } from '../packages/aoi-trace/src/format/test-support/bomb-files.js';
import { AOI_TRACE_BIN, runNodeScript } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'aoi-trace-bombs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loaded before the CLI: prints the process's peak RSS (KiB) as its last stderr line. */
const reportRss = join(dir, 'report-rss.mjs');
writeFileSync(
  reportRss,
  "process.on('exit', () => process.stderr.write('maxrss-kib=' + process.resourceUsage().maxRSS + '\\n'));\n",
);

/** The files: 10 KB, 30 KB and 261 KB of deflated zeros, one checksum-valid ticks chunk each. */
const bombs = [
  ['10 KB', 10e6],
  ['30 KB', 30e6],
  ['261 KB', 256 * 1024 * 1024 - 4],
] as const;
const files = bombs.map(([name, raw]) => {
  const path = join(dir, `bomb-${name.replace(' ', '')}.aoitrace`);
  writeFileSync(path, zeroBombFile(raw));
  return [name, path] as const;
});
/** Where the bomb chunk starts in every file (file header + header chunk). */
const chunkOffset = 96;
const MAX_RSS_KIB = 512 * 1024;

async function run(args: string[]) {
  const cli = runNodeScript(AOI_TRACE_BIN, args, {
    // A heap well under the budget: without the limits, these files need gigabytes and the process aborts.
    env: { NODE_OPTIONS: `--max-old-space-size=192 --import=${reportRss}` },
  });
  const code = await cli.exit();
  const stderr = cli.stderr();
  const rss = Number(/maxrss-kib=(\d+)/.exec(stderr)?.[1]);
  return { code, stdout: cli.lines.join('\n'), stderr, rss };
}

describe('aoi-trace on decompression bombs', () => {
  const commands = (path: string): string[][] => [
    ['inspect', path, '--verify', '--json'],
    ['detect', path],
    ['export', path, '--format', 'ndjson', '--out', `${path}.ndjson`],
    ['query', path, 'events', '--limit', '5'],
    ['diff', path, path],
  ];

  it.each(files)('every command ends normally on the %s bomb, in bounded memory', async (_, path) => {
    for (const args of commands(path)) {
      const result = await run(args);
      const what = `${args.join(' ')}: ${result.stderr}`;
      // 0 ok, 2 bad input, 3 findings or damage (docs/aoi-trace.md); not 1 (internal) and not a signal/abort.
      expect([0, 2, 3], what).toContain(result.code);
      expect(result.stderr, what).not.toMatch(/out of memory|internal error/i);
      expect(result.rss, what).toBeGreaterThan(0);
      expect(result.rss, what).toBeLessThan(MAX_RSS_KIB);
    }
  });

  it.each(files)('inspect names the %s bomb chunk and the limit it breaks', async (_, path) => {
    const result = await run(['inspect', path, '--verify', '--json']);
    const report = JSON.parse(result.stdout) as { integrity: { corrupt: { offset: number; reason: string }[] } };
    expect(report.integrity.corrupt).toHaveLength(1);
    expect(report.integrity.corrupt[0]!.offset).toBe(chunkOffset);
    expect(report.integrity.corrupt[0]!.reason).toMatch(/ticks chunk.*Limits/);
  });
});
