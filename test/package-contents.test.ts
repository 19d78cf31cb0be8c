import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface PackageJson {
  name: string;
  main?: string;
  types?: string;
  exports?: unknown;
  bin?: Record<string, string>;
  publishConfig?: { access?: string };
}

interface PackResult {
  name: string;
  files: { path: string }[];
}

/** Every file a package.json points at: main, types, each exports target (conditions included) and bins. */
function namedFiles(pkg: PackageJson): string[] {
  const targets: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') targets.push(value);
    else if (value !== null && typeof value === 'object') for (const inner of Object.values(value)) visit(inner);
  };
  visit(pkg.main);
  visit(pkg.types);
  visit(pkg.exports);
  visit(pkg.bin);
  return [...new Set(targets.map((target) => target.replace(/^\.\//, '')))];
}

const packages = readdirSync(new URL('../packages', import.meta.url)).map((dir) => ({
  dir,
  pkg: JSON.parse(readFileSync(new URL(`../packages/${dir}/package.json`, import.meta.url), 'utf8')) as PackageJson,
}));

// One `npm pack` for every workspace; --ignore-scripts because the tarball is judged on what `tsc -b` built.
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--workspaces', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
) as PackResult[];

describe('npm pack --dry-run of every package', () => {
  it.each(packages)('$dir ships what its package.json names, its LICENSE, and no tests', ({ pkg }) => {
    const result = packed.find((entry) => entry.name === pkg.name);
    expect(result, `npm pack output for ${pkg.name}`).toBeDefined();
    const paths = new Set(result?.files.map((file) => file.path));
    const named = namedFiles(pkg);
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !paths.has(path))).toEqual([]);
    expect(paths.has('LICENSE')).toBe(true);
    expect([...paths].filter((path) => /\.test\.|\/test-support\/|\/fixtures\//.test(path))).toEqual([]);
    expect(pkg.publishConfig?.access).toBe('public');
  });
});
