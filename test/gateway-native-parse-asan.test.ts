import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NATIVE_MODULE_DIR } from '@lanes/gateway';
import { afterAll, expect, it } from 'vitest';

/**
 * The native lane parser (packages/lane-gateway/native/lanes_parse.c) under AddressSanitizer and UBSan: random
 * bytes and list pieces, every input in a buffer of exactly its length, and inputs at and past 64 KiB. A read past
 * a buffer, an overflow or any undefined behaviour aborts the program.
 */
const harness = fileURLToPath(new URL('./native/lanes-parse-fuzz.c', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lanes-parse-asan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('reads nothing past its input, whatever the bytes', () => {
  const binary = join(dir, 'fuzz');
  execFileSync(
    'gcc',
    [
      ...['-O1', '-g', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'],
      ...['-I', NATIVE_MODULE_DIR, harness, join(NATIVE_MODULE_DIR, 'lanes_parse.c'), '-o', binary],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
  );
  const out = execFileSync(binary, ['100000'], { encoding: 'utf8', timeout: 120_000 });
  expect(out.trim()).toBe('ok');
}, 240_000);
