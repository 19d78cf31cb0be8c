// Time to first frame for a real .aoitrace file: the viewer server (bench/viewer/file-server.js, in a child process
// so its memory is its own) and headless chromium; the first tick on navigation, then seeks to the middle and the
// end. Times to a drawn frame come from the page's clock (`window.aoiViewer.lastDrawn.at`, ms since navigation
// start); request times from both the server (diagnostics_channel) and the page (Resource Timing).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./file-server.js', import.meta.url));

/**
 * @param {import('playwright-core').BrowserContext} context
 * @param {string} file
 * @param {{ detect: boolean, timeoutMs: number, log: (line: string) => void }} options
 */
export async function measureFileFirstFrame(context, file, { detect, timeoutMs, log }) {
  const server = await startServer(file, detect, timeoutMs);
  const page = await context.newPage();
  try {
    const { info } = server;
    log(`  server up: open ${info.openMs.toFixed(1)} ms, ticks ${info.first}..${info.last}`);
    const mid = Math.floor((info.first + info.last) / 2);
    /** @type {{ at: string, tick: number, ms: number, entities: number, server?: object }[]} */
    const phases = [];
    // First tick: from navigation (the page's time origin) to the first frame that drew entities.
    await page.goto(server.info.url);
    const firstDrawn = await drawnAt(page, info.first, timeoutMs);
    /** @type {(typeof phases)[number]} */
    const first = { at: 'first', tick: info.first, ms: firstDrawn.at, entities: firstDrawn.entities };
    phases.push(first);
    first.server = await serverUntilWindow(server, info.first + 1, timeoutMs);
    log(`  first: tick ${info.first} drawn ${firstDrawn.at.toFixed(0)} ms after navigation`);
    for (const [at, tick] of /** @type {const} */ ([
      ['middle', mid],
      ['end', info.last],
    ])) {
      const asked = await page.evaluate(
        `(() => { const t = performance.now(); window.aoiViewer.seek(${tick}); return t; })()`,
      );
      const drawn = await drawnAt(page, tick, timeoutMs);
      /** @type {(typeof phases)[number]} */
      const phase = { at, tick, ms: drawn.at - /** @type {number} */ (asked), entities: drawn.entities };
      phases.push(phase);
      // No window after the last tick: nothing to prefetch there.
      phase.server = await serverUntilWindow(server, at === 'end' ? undefined : tick + 1, timeoutMs);
      log(`  ${at}: tick ${tick} drawn after ${(drawn.at - /** @type {number} */ (asked)).toFixed(0)} ms`);
    }
    const resources = await page.evaluate(`performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/'))
      .map((e) => ({ url: e.name.slice(e.name.indexOf('/api/')), ttfb: e.responseStart - e.startTime, ms: e.duration, bytes: e.transferSize }))`);
    return { info, phases, resources, rssAtStart: info.rss };
  } finally {
    await page.close();
    await server.stop();
  }
}

/** @param {import('playwright-core').Page} page @param {number} tick @param {number} timeout */
async function drawnAt(page, tick, timeout) {
  await page.waitForFunction(
    `window.aoiViewer?.lastDrawn.tick === ${tick} && window.aoiViewer.lastDrawn.entities > 0`,
    undefined,
    { timeout, polling: 'raf' },
  );
  return /** @type {{ tick: number, entities: number, at: number }} */ (
    await page.evaluate('window.aoiViewer.lastDrawn')
  );
}

/**
 * The server's requests and reads so far, and more until the tick window starting at `from` has been sent whole
 * (the page asks for it right after the state; the server's own clock says when its last byte was written).
 * @param {{ report: () => Promise<any> }} server @param {number | undefined} from @param {number} timeoutMs
 */
async function serverUntilWindow(server, from, timeoutMs) {
  /** @type {{ peakRss: number, maxRss: number, requests: { url: string }[], reads: unknown[] }} */
  const merged = { peakRss: 0, maxRss: 0, requests: [], reads: [] };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await server.report();
    merged.peakRss = report.peakRss;
    merged.maxRss = report.maxRss;
    merged.requests.push(...report.requests);
    merged.reads.push(...report.reads);
    const done =
      from === undefined ||
      merged.requests.some((r) => r.url.startsWith('/api/ticks') && r.url.includes(`from=${from}&`));
    if (done) return merged;
    if (Date.now() > deadline)
      throw new Error(`the server did not send the tick window from ${from} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * @param {string} file @param {boolean} detect @param {number} timeoutMs
 */
async function startServer(file, detect, timeoutMs) {
  const child = spawn(process.execPath, [SERVER, file, ...(detect ? ['--detect'] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) });
  const iterator = lines[Symbol.asyncIterator]();
  const nextLine = async () => {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the file server did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done) throw new Error(`the file server exited (code ${child.exitCode})`);
      return JSON.parse(next.value);
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    const info = await nextLine();
    return {
      info,
      report: async () => {
        child.stdin?.write('report\n');
        return nextLine();
      },
      stop: async () => {
        child.stdin?.end();
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        const timer = setTimeout(() => child.kill(), 10_000);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  }
}
