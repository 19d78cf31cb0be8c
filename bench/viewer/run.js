#!/usr/bin/env node
// aoi-viewer benchmark: frames drawn per second while playing 10,000 and 50,000 moving entities in headless
// chromium, WebGL vs Canvas 2D in the same run, time to first frame of a long generated trace, and time to first
// frame (first tick, middle, end) of a real ~1 GB .aoitrace file with the server's peak memory. docs/benchmarks.md,
// "aoi-viewer". Progress on stderr, the markdown on stdout.
import { existsSync, rmSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileDataSource, startViewer } from '@lanes/aoi-viewer';
import { chromium } from 'playwright-core';
import { fileReport } from './file-report.js';
import { measureFileFirstFrame } from './first-frame-file.js';
import { generatedTrace } from './generated-trace.js';
import { MAPS, writeLargeTrace } from './large-trace-file.js';

const USAGE = `node bench/viewer/run.js [--parts play,generated,file] [--entities 10000,50000]
                           [--renderers webgl,canvas,pixels] [--seconds 5] [--ticks 600]
                           [--large-ticks 1000000] [--large-entities 50000]
                           [--file-gb 1] [--file-map dense] [--trace-file <path>] [--keep] [--detect]
                           [--layers base,no-grid,heat,all-aoi] [--layer-entities 50000]
                           [--peer-client <dist-client dir>] [--rounds 3]
  --parts           what to measure: play (frames per second), generated (first frame of a generated trace),
                    file (first frame of a real .aoitrace file), layers (frames per second with each map
                    layer on, default renderer); default play, generated and file
  --layers          the map layers measured by "layers": base (defaults: grid, border, scale bar, labels),
                    no-grid (base without the grid), heat (heat layer on), all-aoi ("all AOI" circles on);
                    on the same movements with height (z on five floors): height (view from above, as base),
                    z-colour (colour by height), side (side view, coloured by height)
  --layer-entities  entities played for "layers"
  --peer-client     another build of the client (e.g. the main branch's dist-client) played by "layers" in the
                    same run, as the named peer of "base"
  --rounds          rounds of "layers" (cases interleaved; the median is reported)
  --entities        entity counts to play (every entity moves every tick)
  --renderers       webgl, canvas (Canvas 2D fillRect), pixels (Canvas 2D ImageData)
  --seconds         measured seconds per case (after 1 s of warm-up)
  --ticks           length of the played traces
  --large-ticks     length of the generated trace for time to first frame (computed on demand)
  --large-entities  entities of that trace
  --file-gb         size of the .aoitrace file written for "file" (in the OS temp directory, deleted after)
  --file-map        scenario cycled into it: dense (M = 1000) or sparse (M = 10000), 10,000 entities
  --trace-file      use this .aoitrace file instead of writing one (never deleted)
  --keep            keep the written file (its path is printed)
  --detect          also run the detectors' pass before serving, as 'aoi-trace view' does without --no-detect
  --timeout         seconds any one wait may take (default 180)`;

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

const BOOLEAN_FLAGS = ['--keep', '--detect'];

/** @param {string[]} argv */
function parse(argv) {
  const o = {
    parts: ['play', 'generated', 'file'],
    entities: [10_000, 50_000],
    renderers: ['webgl', 'canvas', 'pixels'],
    seconds: 5,
    ticks: 600,
    largeTicks: 1_000_000,
    largeEntities: 50_000,
    fileGb: 1,
    fileMap: /** @type {keyof typeof MAPS} */ ('dense'),
    traceFile: /** @type {string | undefined} */ (undefined),
    keep: false,
    detect: false,
    timeout: 180,
    layers: ['base', 'no-grid', 'heat', 'all-aoi'],
    layerEntities: 50_000,
    peerClient: /** @type {string | undefined} */ (undefined),
    rounds: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag === '--keep') o.keep = true;
    else if (flag === '--detect') o.detect = true;
    if (BOOLEAN_FLAGS.includes(flag)) continue;
    const value = argv[++i] ?? '';
    if (flag === '--parts') o.parts = value.split(',');
    else if (flag === '--entities') o.entities = value.split(',').map(Number);
    else if (flag === '--renderers') o.renderers = value.split(',');
    else if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--ticks') o.ticks = Number(value);
    else if (flag === '--large-ticks') o.largeTicks = Number(value);
    else if (flag === '--large-entities') o.largeEntities = Number(value);
    else if (flag === '--file-gb') o.fileGb = Number(value);
    else if (flag === '--file-map') o.fileMap = /** @type {keyof typeof MAPS} */ (value);
    else if (flag === '--trace-file') o.traceFile = value;
    else if (flag === '--timeout') o.timeout = Number(value);
    else if (flag === '--layers') o.layers = value.split(',');
    else if (flag === '--layer-entities') o.layerEntities = Number(value);
    else if (flag === '--peer-client') o.peerClient = value;
    else if (flag === '--rounds') o.rounds = Number(value);
    else throw new Error(`Unknown argument ${flag}.\n${USAGE}`);
  }
  const counts = [
    ...o.entities,
    o.layerEntities,
    o.rounds,
    o.seconds,
    o.ticks,
    o.largeTicks,
    o.largeEntities,
    o.fileGb,
    o.timeout,
  ];
  if (counts.some((n) => !Number.isFinite(n) || n <= 0)) throw new Error(`Numbers must be > 0.\n${USAGE}`);
  for (const r of o.renderers)
    if (!['webgl', 'canvas', 'pixels'].includes(r)) throw new Error(`Unknown renderer ${r}.\n${USAGE}`);
  for (const part of o.parts)
    if (!['play', 'generated', 'file', 'layers'].includes(part)) throw new Error(`Unknown part ${part}.\n${USAGE}`);
  for (const layer of o.layers) if (!(layer in LAYERS)) throw new Error(`Unknown layer ${layer}.\n${USAGE}`);
  if (!(o.fileMap in MAPS)) throw new Error(`Unknown map ${o.fileMap}.\n${USAGE}`);
  if (o.traceFile !== undefined && !existsSync(o.traceFile)) throw new Error(`No such file: ${o.traceFile}.`);
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

/**
 * Frames per second with each layer (and the peer client), `options.rounds` times with the cases interleaved, so a
 * change of load on the shared machine hits every case alike; the median per case.
 * @param {import('playwright-core').BrowserContext} context @param {ReturnType<typeof parse>} options
 */
async function measureLayers(context, options) {
  const cases = [
    ...(options.peerClient === undefined
      ? []
      : [{ name: 'peer client (--peer-client)', layer: 'base', client: options.peerClient }]),
    ...options.layers.map((layer) => ({ name: layer, layer, client: /** @type {string | undefined} */ (undefined) })),
  ];
  /** @type {Map<string, { renderer: string, fps: number[] }>} */
  const results = new Map(cases.map((c) => [c.name, { renderer: '', fps: [] }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const c of cases) {
      log(`round ${round + 1}: playing ${options.layerEntities} entities, ${c.name}, for ${options.seconds} s`);
      const play = await measurePlay(
        context,
        options.layerEntities,
        options.ticks,
        'default',
        options.seconds,
        c.layer,
        c.client,
      );
      const result = /** @type {{ renderer: string, fps: number[] }} */ (results.get(c.name));
      result.renderer = play.renderer;
      result.fps.push(play.fps);
    }
  }
  return cases.map((c) => {
    const { renderer, fps } = /** @type {{ renderer: string, fps: number[] }} */ (results.get(c.name));
    const sorted = [...fps].sort((a, b) => a - b);
    return { layer: c.name, renderer, fps: sorted[Math.floor(sorted.length / 2)], rounds: fps };
  });
}

const Z_COLOUR = `document.querySelector('[data-testid="height-colour"]').click()`;
const SIDE = `(() => { const s = document.querySelector('[data-testid="projection"]'); s.value = 'side'; s.dispatchEvent(new Event('change')); })()`;

/** What each measured map layer turns on, evaluated in the page before playing. */
const LAYERS = /** @type {Record<string, string>} */ ({
  base: '',
  'no-grid': 'window.aoiViewer.map.setGrid(false)',
  heat: 'window.aoiViewer.map.setHeat(true)',
  'all-aoi': `document.querySelector('[data-testid="show-all-aoi"]').click()`,
  height: '',
  'z-colour': Z_COLOUR,
  side: `${Z_COLOUR}; ${SIDE}`,
});

/** Layers played on the trace with height (the others on the same movements without). */
const HEIGHT_LAYERS = new Set(['height', 'z-colour', 'side']);

/** @param {import('playwright-core').BrowserContext} context @param {number} entities @param {number} ticks @param {string} renderer @param {number} seconds @param {string} [layer] @param {string} [clientDir] */
async function measurePlay(context, entities, ticks, renderer, seconds, layer = 'base', clientDir = undefined) {
  const viewer = await startViewer({
    source: new FileDataSource(generatedTrace(entities, ticks, { height: HEIGHT_LAYERS.has(layer) }), {
      name: `${entities}`,
    }),
    clientDir,
  });
  const page = await context.newPage();
  try {
    await page.goto(renderer === 'default' ? viewer.url : `${viewer.url}?renderer=${renderer}`);
    await until(
      page,
      `window.aoiViewer?.ready && window.aoiViewer.tick === 0 && window.aoiViewer.entityCount === ${entities}`,
    );
    const actual = await page.evaluate('window.aoiViewer.renderer');
    if (LAYERS[layer]) await page.evaluate(LAYERS[layer]);
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
      layer,
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

/** @param {import('playwright-core').BrowserContext} context @param {ReturnType<typeof parse>} options */
async function measureFile(context, options) {
  let file = options.traceFile;
  let written;
  const cleanUp = () => {
    if (written === undefined || options.keep) return;
    rmSync(written.file, { force: true });
  };
  if (file === undefined) {
    file = path.join(os.tmpdir(), `aoi-viewer-bench-${process.pid}.aoitrace`);
    log(`writing ${file}: ${options.fileGb} GB of the ${options.fileMap} map`);
    process.once('exit', () => cleanUp());
    written = { file };
    written = writeLargeTrace(file, { map: options.fileMap, bytes: options.fileGb * 1e9, log });
  }
  try {
    log(`time to first frame: ${file}`);
    const result = await measureFileFirstFrame(context, file, {
      detect: options.detect,
      timeoutMs: options.timeout * 1000,
      log,
    });
    return { file, fileBytes: statSync(file).size, written, ...result };
  } finally {
    if (options.keep && written) log(`kept ${file}`);
    cleanUp();
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
  const loads = [os.loadavg()[0]];
  try {
    const plays = [];
    if (options.parts.includes('play')) {
      for (const entities of options.entities) {
        for (const renderer of options.renderers) {
          log(`playing ${entities} entities with ${renderer} for ${options.seconds} s`);
          plays.push(await measurePlay(context, entities, options.ticks, renderer, options.seconds));
        }
      }
    }
    const layerPlays = options.parts.includes('layers') ? await measureLayers(context, options) : [];
    let first;
    if (options.parts.includes('generated')) {
      log(`time to first frame: ${options.largeEntities} entities x ${options.largeTicks} ticks`);
      first = await measureFirstFrame(context, options.largeEntities, options.largeTicks);
    }
    loads.push(os.loadavg()[0]);
    const fileResult = options.parts.includes('file') ? await measureFile(context, options) : undefined;
    loads.push(os.loadavg()[0]);
    const version = await context.browser()?.version();
    const lines = [
      `chromium ${version ?? '(unknown)'} headless, --disable-gpu; ${os.cpus().length} x ${os.cpus()[0]?.model}; node ${process.version}; load average (1 min) ${loads.map((l) => l.toFixed(2)).join(' / ')} (start / before the file part / end)`,
      '',
    ];
    if (plays.length > 0) {
      lines.push(
        '| entities | renderer | frames drawn / s | ticks played / s |',
        '| -------: | -------- | ---------------: | ---------------: |',
        ...plays.map(
          (p) =>
            `| ${p.entities} | ${p.renderer} | ${p.fps.toFixed(1)} | ${p.ticksPerSecond.toFixed(1)}${p.reachedEnd ? ' (reached the end)' : ''} |`,
        ),
        '',
      );
    }
    if (layerPlays.length > 0) {
      const base = layerPlays.find((p) => p.layer === 'base');
      lines.push(
        `Map layers, ${options.layerEntities} moving entities, the page's default renderer (${layerPlays[0].renderer}):`,
        '',
        `Median of ${options.rounds} rounds (the cases interleaved in each round), every round's value after it.`,
        '',
        '| layers | frames drawn / s, median | vs base | ms per frame over base | each round |',
        '| ------ | -----------------------: | ------: | ---------------------: | ---------- |',
        ...layerPlays.map((p) => {
          const ratio = base ? `${(p.fps / base.fps).toFixed(2)}x` : '-';
          const cost = base ? (1000 / p.fps - 1000 / base.fps).toFixed(1) : '-';
          return `| ${p.layer} | ${p.fps.toFixed(1)} | ${ratio} | ${cost} | ${p.rounds.map((f) => f.toFixed(1)).join(', ')} |`;
        }),
        '',
      );
    }
    if (first) {
      lines.push(
        `Time to first frame, generated trace of ${first.entities} entities x ${first.ticks} ticks: ${first.firstFrameMs} ms; seek to tick ${Math.floor(first.ticks / 2)}: ${first.seekMs} ms.`,
      );
    }
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
    if (first) {
      lines.push(`The page's default renderer here: ${first.renderer}.`);
      const goal = plays.find((p) => p.entities === 50_000 && p.renderer === first.renderer);
      if (goal)
        lines.push(
          `Goal 50,000 entities at >= 30 fps (${goal.renderer}): ${goal.fps >= 30 ? 'met' : 'NOT met'} (${goal.fps.toFixed(1)}).`,
        );
    }
    if (fileResult) lines.push('', ...fileReport(fileResult, options));
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
