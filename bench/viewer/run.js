#!/usr/bin/env node
// aoi-viewer benchmark: frames drawn per second while playing 10,000 and 50,000 moving entities in headless
// chromium, WebGL vs Canvas 2D in the same run, and time to first frame of a long trace. docs/benchmarks.md,
// "aoi-viewer". Progress on stderr, the markdown on stdout.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileDataSource, startViewer } from '@lanes/aoi-viewer';
import { chromium } from 'playwright-core';
import { generatedTrace } from './generated-trace.js';

const USAGE = `node bench/viewer/run.js [--entities 10000,50000] [--renderers webgl,canvas] [--seconds 5]
                           [--ticks 600] [--large-ticks 1000000] [--large-entities 50000]
  --entities        entity counts to play (every entity moves every tick)
  --renderers       webgl, canvas (Canvas 2D fillRect), pixels (Canvas 2D ImageData)
  --seconds         measured seconds per case (after 1 s of warm-up)
  --ticks           length of the played traces
  --large-ticks     length of the trace for time to first frame (generated on demand: no memory per tick)
  --large-entities  entities of that trace`;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PACKAGE_DIR = fileURLToPath(new URL('../../packages/aoi-viewer/', import.meta.url));
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

/** @param {string[]} argv */
function parse(argv) {
  const o = {
    entities: [10_000, 50_000],
    renderers: ['webgl', 'canvas', 'pixels'],
    seconds: 5,
    ticks: 600,
    largeTicks: 1_000_000,
    largeEntities: 50_000,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--entities') o.entities = value.split(',').map(Number);
    else if (flag === '--renderers') o.renderers = value.split(',');
    else if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--ticks') o.ticks = Number(value);
    else if (flag === '--large-ticks') o.largeTicks = Number(value);
    else if (flag === '--large-entities') o.largeEntities = Number(value);
    else throw new Error(`Unknown argument ${flag}.\n${USAGE}`);
  }
  const counts = [...o.entities, o.seconds, o.ticks, o.largeTicks, o.largeEntities];
  if (counts.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(`Numbers must be > 0.\n${USAGE}`);
  for (const r of o.renderers)
    if (!['webgl', 'canvas', 'pixels'].includes(r)) throw new Error(`Unknown renderer ${r}.\n${USAGE}`);
  return o;
}

async function ensureClient() {
  if (existsSync(path.join(PACKAGE_DIR, 'dist-client/index.html'))) return;
  log('building the client (vite build)');
  const { build } = await import('vite');
  await build({ configFile: path.join(PACKAGE_DIR, 'vite.config.ts'), logLevel: 'error' });
}

/** @param {import('playwright-core').Page} page @param {string} expression */
const until = (page, expression, timeout = 60_000) =>
  page.waitForFunction(expression, undefined, { timeout, polling: 'raf' });

/** @param {import('playwright-core').BrowserContext} context @param {number} entities @param {number} ticks @param {string} renderer @param {number} seconds */
async function measurePlay(context, entities, ticks, renderer, seconds) {
  const viewer = await startViewer({
    source: new FileDataSource(generatedTrace(entities, ticks), { name: `${entities}` }),
  });
  const page = await context.newPage();
  try {
    await page.goto(`${viewer.url}?renderer=${renderer}`);
    await until(
      page,
      `window.aoiViewer?.ready && window.aoiViewer.tick === 0 && window.aoiViewer.entityCount === ${entities}`,
    );
    const actual = await page.evaluate('window.aoiViewer.renderer');
    // 2x = 60 ticks/s: a new tick for every frame at 60 Hz, so every frame has something new to draw.
    await page.evaluate('window.aoiViewer.play(2)');
    await page.waitForTimeout(1000);
    const start = await page.evaluate(
      '({ frames: window.aoiViewer.drawnFrames, tick: window.aoiViewer.tick, t: performance.now() })',
    );
    await page.waitForTimeout(seconds * 1000);
    const end = await page.evaluate(
      '({ frames: window.aoiViewer.drawnFrames, tick: window.aoiViewer.tick, t: performance.now(), playing: window.aoiViewer.playing })',
    );
    const elapsed = (end.t - start.t) / 1000;
    return {
      entities,
      renderer: actual,
      fps: (end.frames - start.frames) / elapsed,
      ticksPerSecond: (end.tick - start.tick) / elapsed,
      reachedEnd: !end.playing,
    };
  } finally {
    await page.close();
    await viewer.close();
  }
}

/** @param {import('playwright-core').BrowserContext} context @param {number} entities @param {number} ticks */
async function measureFirstFrame(context, entities, ticks) {
  const viewer = await startViewer({ source: new FileDataSource(generatedTrace(entities, ticks), { name: 'large' }) });
  const page = await context.newPage();
  try {
    const started = Date.now();
    await page.goto(viewer.url);
    await until(page, `window.aoiViewer?.drawnFrames > 0 && window.aoiViewer.entityCount === ${entities}`);
    const firstFrameMs = Date.now() - started;
    const seekStarted = Date.now();
    const middle = Math.floor(ticks / 2);
    await page.evaluate(`window.aoiViewer.seek(${middle})`);
    await until(page, `window.aoiViewer.ready && window.aoiViewer.tick === ${middle}`);
    const seekMs = Date.now() - seekStarted;
    const renderer = await page.evaluate('window.aoiViewer.renderer');
    return { entities, ticks, firstFrameMs, seekMs, renderer };
  } finally {
    await page.close();
    await viewer.close();
  }
}

async function main() {
  const options = parse(process.argv.slice(2));
  await ensureClient();
  const profile = await mkdtemp(path.join(os.tmpdir(), 'aoi-viewer-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const plays = [];
    for (const entities of options.entities) {
      for (const renderer of options.renderers) {
        log(`playing ${entities} entities with ${renderer} for ${options.seconds} s`);
        plays.push(await measurePlay(context, entities, options.ticks, renderer, options.seconds));
      }
    }
    log(`time to first frame: ${options.largeEntities} entities x ${options.largeTicks} ticks`);
    const first = await measureFirstFrame(context, options.largeEntities, options.largeTicks);
    const version = await context.browser()?.version();
    const lines = [
      `chromium ${version ?? '(unknown)'} headless, --disable-gpu; ${os.cpus().length} x ${os.cpus()[0]?.model}; node ${process.version}`,
      '',
      '| entities | renderer | frames drawn / s | ticks played / s |',
      '| -------: | -------- | ---------------: | ---------------: |',
      ...plays.map(
        (p) =>
          `| ${p.entities} | ${p.renderer} | ${p.fps.toFixed(1)} | ${p.ticksPerSecond.toFixed(1)}${p.reachedEnd ? ' (reached the end)' : ''} |`,
      ),
      '',
      `Time to first frame, ${first.entities} entities x ${first.ticks} ticks: ${first.firstFrameMs} ms; seek to tick ${Math.floor(first.ticks / 2)}: ${first.seekMs} ms.`,
    ];
    for (const entities of options.entities) {
      const webgl = plays.find((p) => p.entities === entities && p.renderer === 'webgl');
      const canvas = plays.find((p) => p.entities === entities && p.renderer === 'canvas');
      const pixels = plays.find((p) => p.entities === entities && p.renderer === 'pixels');
      if (webgl && canvas && pixels) {
        lines.push(
          `${entities}: pixels / WebGL = ${(pixels.fps / webgl.fps).toFixed(2)}x, pixels / fillRect = ${(pixels.fps / canvas.fps).toFixed(2)}x frames per second.`,
        );
      }
    }
    lines.push(`The page's default renderer here: ${first.renderer}.`);
    const goal = plays.find((p) => p.entities === 50_000 && p.renderer === first.renderer);
    if (goal)
      lines.push(
        `Goal 50,000 entities at >= 30 fps (${goal.renderer}): ${goal.fps >= 30 ? 'met' : 'NOT met'} (${goal.fps.toFixed(1)}).`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
