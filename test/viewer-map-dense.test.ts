// 10,000 entities: "all AOI" draws every circle (or says how many of how many), and the heat layer counts entities
// per recorded cell exactly as the positions of the tick do; it toggles on and off.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { type DenseScenario, recordDense } from '../packages/aoi-viewer/src/test-support/dense-scenario.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import { mapState } from '../packages/aoi-viewer/src/test-support/map-helpers.js';
import { settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';

type Handle = { aoiViewer: { seek(tick: number): void; map: { heatCountAt(x: number, y: number): number | null } } };

describe('aoi-viewer: 10,000 entities', () => {
  let dense: DenseScenario;
  let viewer: RunningViewer;
  let browser: Browser;
  const last = 2;

  beforeAll(async () => {
    await ensureClientBuilt();
    dense = recordDense(10_000, last + 1);
    viewer = await startViewer({ source: new FileDataSource(dense.trace, { name: 'dense-10k' }) });
    browser = await openBrowser({ width: 1400, height: 900 });
    await browser.page.goto(viewer.url);
    await waitForTick(browser.page, 0);
    await browser.page.evaluate((t) => (globalThis as unknown as Handle).aoiViewer.seek(t), last);
    await waitForTick(browser.page, last);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('"all AOI" draws every watcher’s circle and says so', async () => {
    const { page } = browser;
    await page.check(testId('show-all-aoi'));
    await expect.poll(async () => (await mapState(page)).stats.aoiWatchers).toBe(dense.watchers);
    const { stats } = await mapState(page);
    expect(stats.aoiDrawn).toBe(dense.watchers);
    expect(stats.aoiCapped).toBe(false);
    expect(await page.textContent(testId('aoi-count'))).toBe(`${dense.watchers} of ${dense.watchers}`);
    await page.uncheck(testId('show-all-aoi'));
  });

  it('draws id labels only once zoomed in to few enough entities', async () => {
    const { page } = browser;
    expect((await mapState(page)).stats.labels).toBe(false);
    const map = (await page.locator(testId('map-overlay')).boundingBox())!;
    await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
    for (let i = 0; i < 30 && !(await mapState(page)).stats.labels; i++) {
      await page.mouse.wheel(0, -200);
      await settle(page);
    }
    expect((await mapState(page)).stats.labels).toBe(true);
    await page.click(testId('fit'));
    await expect.poll(async () => (await mapState(page)).stats.labels).toBe(false);
  });

  it('counts entities per engine cell (as recorded) in the heat layer, and toggles it', async () => {
    const { page } = browser;
    expect(await heatAt(page, 0, 0)).toBeNull();
    await page.check(testId('heat-toggle'));
    await expect.poll(async () => (await mapState(page)).stats.heat?.cell).toBe(dense.engineCellSize);
    const cell = dense.engineCellSize;
    const truth = new Map<string, number>();
    for (const { x, y } of dense.positions.values()) {
      const key = `${Math.floor(x / cell)},${Math.floor(y / cell)}`;
      truth.set(key, (truth.get(key) ?? 0) + 1);
    }
    const busiest = [...truth.entries()].sort((a, b) => b[1] - a[1]);
    // The busiest cells, some ordinary ones, and an empty one, each checked against the positions.
    for (const [key, count] of [...busiest.slice(0, 5), ...busiest.slice(-5)]) {
      const [cx, cy] = key.split(',').map(Number);
      expect(await heatAt(page, (cx! + 0.5) * cell, (cy! + 0.5) * cell), key).toBe(count);
    }
    const { heat } = (await mapState(page)).stats;
    expect(heat!.max).toBe(busiest[0]![1]);
    expect(heat!.occupied).toBe(truth.size);
    expect(await page.locator(`${testId('legend-item')}[data-key="heat"]`).textContent()).toContain(
      `1 → ${busiest[0]![1]}`,
    );
    await settle(page);
    await saveDocScreenshot(page, 'viewer-dense-10k');
    await page.uncheck(testId('heat-toggle'));
    await expect.poll(() => heatAt(page, 0, 0)).toBeNull();
    // The legend follows at the next frame drawn.
    await expect.poll(() => page.locator(`${testId('legend-item')}[data-key="heat"]`).count()).toBe(0);
  });
});

function heatAt(page: Browser['page'], x: number, y: number): Promise<number | null> {
  return page.evaluate(([wx, wy]) => (globalThis as unknown as Handle).aoiViewer.map.heatCountAt(wx!, wy!), [x, y]);
}
