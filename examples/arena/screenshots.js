// Screenshots of the viewer for docs/arena-tutorial.md: runs `aoi-trace view <default> --compare <gray>`, drives
// it in headless Debian chromium (playwright-core) and saves PNGs.
//   node examples/arena/screenshots.js <default.aoitrace> <gray.aoitrace> [--out docs/images]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openTraceReader, WorldState } from '@lanes/aoi-trace';
import { chromium } from 'playwright-core';

const AOI_TRACE = fileURLToPath(new URL('../../packages/aoi-trace-cli/bin/aoi-trace.js', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIRST_PLAYER_ID = 1000;

/**
 * The first tick (after `from`) where an NPC's view differs between the two traces: NPCs walk the same paths in
 * both lanes, so such a difference is the AOI configuration's doing. Undefined when there is none.
 */
function firstNpcDifference(fileA, fileB, from) {
  const a = new WorldState();
  const b = new WorldState();
  const ticksB = openTraceReader(fileB).ticks()[Symbol.iterator]();
  for (const record of openTraceReader(fileA).ticks()) {
    const other = ticksB.next();
    if (other.done) return undefined;
    a.apply(record);
    b.apply(other.value);
    if (record.tick < from) continue;
    for (let npc = 1; npc < FIRST_PLAYER_ID; npc++) {
      const onlyB = b.viewOf(npc).filter((id) => id < FIRST_PLAYER_ID && !a.viewOf(npc).includes(id));
      if (onlyB.length > 0) return { tick: record.tick, npc };
    }
  }
  return undefined;
}

function startViewer(fileA, fileB) {
  const child = spawn(process.execPath, [AOI_TRACE, 'view', fileA, '--compare', fileB, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`aoi-trace view exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve({ child, url: JSON.parse(line).url }));
  });
}

const waitForTick = (page, tick) =>
  page.waitForFunction((t) => globalThis.aoiViewer?.ready === true && globalThis.aoiViewer.tick === t, tick, {
    timeout: 15_000,
  });
const settle = (page) =>
  page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string', default: 'docs/images' } },
  });
  const [fileA, fileB] = positionals;
  if (!fileA || !fileB)
    throw new Error('usage: node examples/arena/screenshots.js <a.aoitrace> <b.aoitrace> [--out dir]');
  const difference = firstNpcDifference(fileA, fileB, 20);
  const viewer = await startViewer(fileA, fileB);
  const profile = await mkdtemp(join(tmpdir(), 'arena-screenshots-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    viewport: { width: 1200, height: 720 },
    deviceScaleFactor: 1,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(viewer.url);
    await waitForTick(page, 0);

    // 1. The default lane's trace with the detectors' findings: jump to the first oscillation.
    const marker = page.locator('[data-testid="anomaly-marker"]').first();
    if ((await marker.count()) > 0) {
      const tick = Number(await marker.getAttribute('data-tick'));
      await marker.click();
      await waitForTick(page, tick);
    }
    await settle(page);
    await page.screenshot({ path: join(values.out, 'arena-default-anomaly.png') });

    // 2. The same moment in the gray lane's trace: what an NPC sees only with gray's leave radius.
    if (difference) {
      await page.evaluate((t) => globalThis.aoiViewer.seek(t), difference.tick);
      await waitForTick(page, difference.tick);
      await page.evaluate((id) => globalThis.aoiViewer.select(id), difference.npc);
      await page.check('[data-testid="diff-toggle"]');
      await page.selectOption('[data-testid="diff-against"]', 'trace');
      await page.waitForFunction(() =>
        globalThis.document.querySelector('[data-testid="diff-summary"]')?.textContent?.includes('trace B'),
      );
      await settle(page);
      await page.screenshot({ path: join(values.out, 'arena-diff-gray.png') });
    }
    const diffText = difference
      ? ` (diff: NPC #${difference.npc} at tick ${difference.tick})`
      : ' (no NPC difference found)';
    console.log(`screenshots in ${values.out}${diffText}`);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    viewer.child.kill('SIGINT');
  }
}

main().catch((error) => {
  console.error(`screenshots: ${error.message}`);
  process.exitCode = 1;
});
