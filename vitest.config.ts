import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources; the CLI's end-to-end tests run the built output.
    alias: {
      '@lanes/trace-context': src('trace-context'),
      '@lanes/json-config': src('json-config'),
      '@lanes/gateway': src('lane-gateway'),
      '@lanes/cli': src('lanes-cli'),
      '@lanes/cli-kit': src('cli-kit'),
      '@lanes/core': src('lanes'),
      '@lanes/aoi': src('aoi'),
      '@lanes/aws': src('lanes-aws'),
      '@lanes/aoi-trace': src('aoi-trace'),
      '@lanes/aoi-viewer': src('aoi-viewer'),
      '@lanes/aoi-trace-cli': fileURLToPath(new URL('./packages/aoi-trace-cli/src/main.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
