import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AoiError, AoiErrorCode } from '@lanes/aoi';
import { type TraceError, TraceErrorCode } from '@lanes/aoi-trace';
import { AWS_ERROR_CODES, type AwsErrorCode } from '@lanes/aws';
import { CLI_KIT_ERROR_CODES } from '@lanes/cli-kit';
import { LANES_ERROR_CODES, LanesError, type LanesErrorCode } from '@lanes/core';
import { GATEWAY_ERROR_CODES, GatewayError, type GatewayErrorCode } from '@lanes/gateway';
import { TRACE_CONTEXT_ERROR_CODES, TraceContextError, type TraceContextErrorCode } from '@lanes/trace-context';
import { describe, expect, expectTypeOf, it } from 'vitest';

// The error contract (README, "Errors"): one registry per package, every code prefixed by its package, and no code
// thrown that its registry does not hold. The class constructors take their registry's type, so most of this is
// the compiler's job; these tests check what the compiler cannot see.

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Each registry with its package's prefix and the error classes that carry its codes. */
const REGISTRIES = [
  {
    name: 'LANES_ERROR_CODES',
    prefix: 'LANES_',
    codes: LANES_ERROR_CODES,
    classes: ['LanesError', 'LanesConfigError'],
  },
  { name: 'AWS_ERROR_CODES', prefix: 'AWS_', codes: AWS_ERROR_CODES, classes: ['LanesError'] },
  {
    name: 'GATEWAY_ERROR_CODES',
    prefix: 'GATEWAY_',
    codes: GATEWAY_ERROR_CODES,
    classes: ['GatewayError', 'GatewayConfigError', 'TokenKeyError'],
  },
  {
    name: 'TRACE_CONTEXT_ERROR_CODES',
    prefix: 'TRACE_CONTEXT_',
    codes: TRACE_CONTEXT_ERROR_CODES,
    classes: ['TraceContextError'],
  },
  { name: 'AoiErrorCode', prefix: 'AOI_', codes: AoiErrorCode, classes: ['AoiError'] },
  { name: 'CLI_KIT_ERROR_CODES', prefix: 'CLI_KIT_', codes: CLI_KIT_ERROR_CODES, classes: ['CliUsageError'] },
  { name: 'TraceErrorCode', prefix: 'AOITRACE_', codes: TraceErrorCode, classes: ['TraceError', 'LineTooLongError'] },
] as const;

/** The codes a class may be built with, from every registry that names it. */
function codesOf(errorClass: string): Set<string> {
  const codes = new Set<string>();
  for (const registry of REGISTRIES) {
    if ((registry.classes as readonly string[]).includes(errorClass)) {
      for (const code of Object.values(registry.codes)) codes.add(code);
    }
  }
  return codes;
}

/** Every TypeScript file under a folder, skipping build output and dependencies. */
function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const PACKAGES = join(ROOT, 'packages');
const SOURCES = [
  ...readdirSync(PACKAGES).flatMap((dir) => sourceFiles(join(PACKAGES, dir, 'src'))),
  // This file builds unregistered codes on purpose, for the compiler to refuse.
  ...sourceFiles(join(ROOT, 'test')).filter((path) => !path.endsWith('error-codes.test.ts')),
];
/** A file's path from the root and its text, read once. */
const FILES = SOURCES.map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
/** The classes whose constructor takes the code first. */
const BASES = new Set(['LanesError', 'GatewayError', 'TraceContextError', 'AoiError', 'TraceError']);

describe('error code registries', () => {
  it("prefix every code with its package's prefix, in capitals", () => {
    for (const registry of REGISTRIES) {
      for (const [name, code] of Object.entries(registry.codes)) {
        expect(code, `${registry.name}.${name}`).toMatch(new RegExp(`^${registry.prefix}[A-Z0-9]+(_[A-Z0-9]+)*$`));
      }
    }
  });

  it('hold each code once across every package, so a code names exactly one package', () => {
    const seen = new Map<string, string>();
    for (const registry of REGISTRIES) {
      for (const code of Object.values(registry.codes)) {
        expect(seen.get(code), code).toBeUndefined();
        seen.set(code, registry.name);
      }
    }
    // A prefix that begins another package's would make the prefix ambiguous (LANES_ and LANES_AWS_, say).
    for (const a of REGISTRIES)
      for (const b of REGISTRIES) if (a !== b) expect(b.prefix.startsWith(a.prefix)).toBe(false);
  });

  it("type each error class's code by its registry, so an unregistered code does not compile", () => {
    expectTypeOf<ConstructorParameters<typeof LanesError>[0]>().toEqualTypeOf<LanesErrorCode>();
    expectTypeOf<LanesError['code']>().toEqualTypeOf<LanesErrorCode>();
    // The AWS provider's codes reach LanesErrorCode by declaration merging, and nothing else does.
    expectTypeOf<LanesErrorCode>().toEqualTypeOf<
      (typeof LANES_ERROR_CODES)[keyof typeof LANES_ERROR_CODES] | AwsErrorCode
    >();
    expectTypeOf<ConstructorParameters<typeof GatewayError>[0]>().toEqualTypeOf<GatewayErrorCode>();
    expectTypeOf<GatewayError['code']>().toEqualTypeOf<GatewayErrorCode>();
    expectTypeOf<ConstructorParameters<typeof TraceContextError>[0]>().toEqualTypeOf<TraceContextErrorCode>();
    expectTypeOf<TraceContextError['code']>().toEqualTypeOf<TraceContextErrorCode>();
    expectTypeOf<ConstructorParameters<typeof AoiError>[0]>().toEqualTypeOf<AoiErrorCode>();
    expectTypeOf<AoiError['code']>().toEqualTypeOf<AoiErrorCode>();
    expectTypeOf<ConstructorParameters<typeof TraceError>[0]>().toEqualTypeOf<TraceErrorCode>();
    expectTypeOf<TraceError['code']>().toEqualTypeOf<TraceErrorCode>();
    // Never called: tsc -p tsconfig.check.json fails if an unprefixed or unknown code compiles.
    const _unregistered = () => [
      // @ts-expect-error an unprefixed code is not in the registry
      new LanesError('USAGE', 'x', 'user'),
      // @ts-expect-error another package's code is not in the registry
      new GatewayError('LANES_USAGE', 'x', 'user'),
      // @ts-expect-error an unprefixed code is not in the registry
      new TraceContextError('INVALID_LANE', 'x'),
    ];
    expect(typeof _unregistered).toBe('function');
  });
});

describe('the source of every package and test', () => {
  it('declares the branded error classes only in the packages’ errors.ts files', () => {
    // The CLIs read the brand (branded-error.ts); only an error class sets it.
    const branding = FILES.filter(
      (file) => file.text.includes("Symbol.for('@lanes/error')") && /class \w+ extends Error\b/.test(file.text),
    );
    expect(branding.map((file) => file.path).sort()).toEqual(
      [
        'packages/aoi-trace/src/errors.ts',
        'packages/aoi/src/errors.ts',
        'packages/cli-kit/src/errors.ts',
        'packages/lane-gateway/src/errors.ts',
        'packages/lanes/src/errors.ts',
        'packages/trace-context/src/errors.ts',
      ].sort(),
    );
  });

  it('builds every error with a code its registry holds', () => {
    const checked: string[] = [];
    for (const file of FILES) {
      const isSubclass = /class \w+Error extends (\w+Error)/.exec(file.text)?.[1];
      const uses = [...file.text.matchAll(/new (\w+Error)\(\s*(['"`])([^'"`]*)\2/g)].map((m) => ({
        errorClass: m[1] ?? '',
        code: m[3] ?? '',
      }));
      // A subclass passes its code to the base class's constructor.
      for (const m of file.text.matchAll(/super\(\s*(['"`])([^'"`]*)\1/g)) {
        if (isSubclass) uses.push({ errorClass: isSubclass, code: m[2] ?? '' });
      }
      for (const { errorClass, code } of uses) {
        // Only the base classes take a code first; a subclass (LanesConfigError, TokenKeyError) sets its own.
        if (!BASES.has(errorClass)) continue;
        const where = `${file.path}: new ${errorClass}('${code}')`;
        expect(codesOf(errorClass).has(code), where).toBe(true);
        // The AWS provider's codes belong to @lanes/aws (and the tests of it), never to the lanes library or CLI.
        if (code.startsWith('AWS_')) expect(file.path, where).not.toMatch(/^packages\/lanes(-cli)?\//);
        checked.push(where);
      }
      expect(file.text, `${file.path} casts to an error code type`).not.toMatch(
        /\bas (Lanes|Gateway|TraceContext|Aws|Aoi|Trace)ErrorCode\b/,
      );
    }
    // The scan found the literal codes of the lanes library, the gateway and the AWS provider.
    expect(checked.some((w) => w.includes("LanesError('LANES_"))).toBe(true);
    expect(checked.some((w) => w.includes("GatewayError('GATEWAY_"))).toBe(true);
    expect(checked.some((w) => w.includes("LanesError('AWS_"))).toBe(true);
  });
});

describe('the docs', () => {
  const DOCS = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
    ...readdirSync(PACKAGES)
      .map((dir) => `packages/${dir}/README.md`)
      .filter((path) => existsSync(join(ROOT, path))),
  ];

  it('name no code by its name from before the prefixes', () => {
    const renamed = REGISTRIES.filter((registry) => !['AOI_', 'AOITRACE_'].includes(registry.prefix));
    const old = new Map<string, string>();
    for (const registry of renamed) {
      for (const code of Object.values(registry.codes)) old.set(code.slice(registry.prefix.length), code);
    }
    for (const doc of DOCS) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) {
        const name = m[1] ?? '';
        const now = old.get(name);
        if (now !== undefined) expect.fail(`${doc} names \`${name}\`, which is \`${now}\` now`);
      }
    }
  });
});
