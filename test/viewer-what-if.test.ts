// A what-if pair in the viewer: a flapping recording and its replay with a hysteresis band, opened as trace A and
// trace B. The timeline carries both runs' churn per tick (the server's series and what the page drew); a single
// trace has no such chart.

import { EngineReplay, MemoryTrace, simulate, traceFigures } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';

describe('aoi-viewer: a what-if pair', () => {
  const flapping = new MemoryTrace();
  const banded = new MemoryTrace();
  let viewer: RunningViewer;
  let single: RunningViewer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    simulate({ scenario: 'border-crowd', entities: 64, ticks: 40, viewRadius: 50, leaveRadius: 50 }, flapping);
    new EngineReplay(flapping, { hysteresis: 0.1 }).writeTo(banded);
    viewer = await startViewer({
      source: new FileDataSource(flapping, { name: 'flapping' }),
      compare: new FileDataSource(banded, { name: 'banded' }),
    });
    single = await startViewer({ source: new FileDataSource(flapping, { name: 'flapping' }) });
    browser = await openBrowser({ width: 1400, height: 900 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
    await single?.close();
  });

  it("draws both runs' churn over the timeline, with the totals of each", async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await waitForTick(page, 0);
    const chart = page.locator(testId('churn-chart'));
    await expect.poll(() => chart.getAttribute('data-total-b'), { timeout: 10_000 }).not.toBeNull();
    const [a, b] = [traceFigures(flapping), traceFigures(banded)];
    expect(await chart.getAttribute('data-from')).toBe('0');
    expect(await chart.getAttribute('data-to')).toBe('39');
    expect(Number(await chart.getAttribute('data-total-a'))).toBe(a.churnPerTick.total);
    expect(Number(await chart.getAttribute('data-total-b'))).toBe(b.churnPerTick.total);
    expect(b.churnPerTick.total).toBeLessThan(a.churnPerTick.total);
    expect(await chart.isVisible()).toBe(true);
    // Something was drawn: the canvas has lit pixels.
    type Canvas2d = {
      width: number;
      height: number;
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const lit = await chart.evaluate((node) => {
      const canvas = node as unknown as Canvas2d;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(lit).toBeGreaterThan(0);
  });

  it('follows the zoomed span', async () => {
    const { page } = browser;
    await page.click(testId('zoom-in'));
    const chart = page.locator(testId('churn-chart'));
    await expect.poll(() => chart.getAttribute('data-to'), { timeout: 10_000 }).not.toBe('39');
    const [from, to] = [Number(await chart.getAttribute('data-from')), Number(await chart.getAttribute('data-to'))];
    const figures = traceFigures(flapping, {}, { from, to });
    await expect.poll(async () => Number(await chart.getAttribute('data-total-a'))).toBe(figures.churnPerTick.total);
  });

  it('is not there for a single trace', async () => {
    const { page } = browser;
    await page.goto(single.url);
    await waitForTick(page, 0);
    expect(await page.locator(testId('churn-chart')).isVisible()).toBe(false);
  });
});
