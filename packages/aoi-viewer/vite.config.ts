import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The client is built once (`npm run build:client`) and served as static files by startViewer: no dev server at
// run time.
export default defineConfig({
  root: fileURLToPath(new URL('./client/', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./dist-client/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
