// The readable map in headless chromium: fit on load, the hover tooltip against the trace, one legend for every
// colour in use, players and NPCs apart, bounded wheel zoom and Fit, the anomaly's own highlight, and the header at
// 1400 and 1000 px. Screenshots go to docs/images/ (docs/aoi-viewer.md shows them).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, pixelAt } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import { colourDistance, legendRgbs, mapState, xy } from '../packages/aoi-viewer/src/test-support/map-helpers.js';
import { pageOf, settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

const GREEN = [46, 204, 113];
const CYAN = [0, 229, 255];

describe('aoi-viewer: a readable map', () => {
  let scenario: RecordedScenario;
  let viewer: RunningViewer;
  let browser: Browser;
  const tick = 25;
  let suspect: number;
  let partner: number;

  beforeAll(async () => {
    await ensureClientBuilt();
    scenario = recordScenario();
    // The finding's partner is in the suspect's view set: it must not look like any other view-set member.
    suspect = scenario.ids.find((id) => (scenario.views[tick]!.get(id)?.length ?? 0) >= 2)!;
    partner = scenario.views[tick]!.get(suspect)![0]!;
    const findings = [{ detector: 'fov-tear', tick, entities: [suspect, partner], message: 'disagree' }];
    viewer = await startViewer({
      source: new FileDataSource(scenario.trace, { name: 'ring.aoitrace', anomalies: findings }),
    });
    browser = await openBrowser({ width: 1400, height: 900 });
    await browser.page.goto(viewer.url);
    await waitForTick(browser.page, 0);
    await settle(browser.page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('fits the world on load: every entity inside the map, the cloud centred and filling it', async () => {
    const { page } = browser;
    const map = (await page.locator(testId('map-overlay')).boundingBox())!;
    const points = await Promise.all([...scenario.positions[0]!.keys()].map((id) => pageOf(page, id)));
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    expect(minX).toBeGreaterThan(map.x);
    expect(maxX).toBeLessThan(map.x + map.width);
    expect(minY).toBeGreaterThan(map.y);
    expect(maxY).toBeLessThan(map.y + map.height);
    // Centred (no empty quarter) and using at least 70% of the constraining side (the fit holds the view circles too).
    expect(Math.abs((minX + maxX) / 2 - (map.x + map.width / 2))).toBeLessThan(map.width * 0.05);
    expect(Math.abs((minY + maxY) / 2 - (map.y + map.height / 2))).toBeLessThan(map.height * 0.05);
    expect(Math.max((maxX - minX) / map.width, (maxY - minY) / map.height)).toBeGreaterThan(0.7);
    const state = await mapState(page);
    expect(state.stats.labels).toBe(true);
    expect(state.stats.scaleBar).toBeGreaterThan(0);
    await saveDocScreenshot(page, 'viewer-recorded');
  });

  it('offers no height controls for a 2D trace', async () => {
    expect(await browser.page.locator(testId('height-controls')).isVisible()).toBe(false);
    const height = await browser.page.evaluate(
      () => (globalThis as unknown as { aoiViewer: { map: { height: { available: boolean } } } }).aoiViewer.map.height,
    );
    expect(height).toMatchObject({ available: false, colourBy: false, projection: 'top' });
  });

  it('keeps the header on one line at 1400 px', async () => {
    const { page } = browser;
    const boxes = await page.$$eval('header.bar > *', (nodes) =>
      nodes
        .map((n) =>
          (n as unknown as { getBoundingClientRect(): { top: number; bottom: number } }).getBoundingClientRect(),
        )
        .map((r) => ({ top: r.top, bottom: r.bottom })),
    );
    // One row: every item crosses the same horizontal line.
    expect(Math.max(...boxes.map((b) => b.top))).toBeLessThan(Math.min(...boxes.map((b) => b.bottom)));
    expect((await page.locator('header.bar').boundingBox())!.height).toBeLessThan(40);
  });

  it('draws players and NPCs in different colours, and the legend explains every colour drawn', async () => {
    const { page } = browser;
    const player = await pixelAt(page, ...xy(await pageOf(page, 2)));
    const npc = await pixelAt(page, ...xy(await pageOf(page, 3)));
    expect(player).not.toEqual(npc);
    const legend = await legendRgbs(page);
    const state = await mapState(page);
    for (const colour of state.colours) expect(legend).toContain(colour.rgb.join(','));
    // What is on screen at each entity is one of the legend's colours (give or take the faint grid over it).
    for (const id of scenario.positions[0]!.keys()) {
      const seen = await pixelAt(page, ...xy(await pageOf(page, id)));
      const nearest = Math.min(...legend.map((rgb) => colourDistance(rgb.split(',').map(Number), seen)));
      expect(nearest, `entity ${id}: ${seen}`).toBeLessThan(24);
    }
  });

  it('shows a tooltip with the trace’s own data for the entity under the pointer', async () => {
    const { page } = browser;
    const id = 6;
    const at = await pageOf(page, id);
    await page.mouse.move(at.x, at.y);
    const tooltip = page.locator(testId('map-tooltip'));
    await expect.poll(() => tooltip.getAttribute('data-view-size')).not.toBe('');
    const field = (name: string) => tooltip.locator(`[data-field="${name}"] b`).textContent();
    const p = scenario.positions[0]!.get(id)!;
    expect(await tooltip.getAttribute('data-id')).toBe(String(id));
    expect(await field('id')).toBe(`#${id}`);
    expect(await field('tags')).toBe('player');
    expect(await field('position')).toBe(`(${p.x}, ${p.y})`);
    expect(await field('radii')).toBe('60 / 70');
    expect(await tooltip.getAttribute('data-view-size')).toBe(String(scenario.views[0]!.get(id)!.length));
    // The same entity selected, its path and circles drawn, the tooltip still up: the "selected" picture.
    await page.evaluate(
      (e) => (globalThis as unknown as { aoiViewer: { select(id: number): void } }).aoiViewer.select(e),
      id,
    );
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="0"]`);
    await expect.poll(() => page.locator(`${testId('legend-item')}[data-key="path-time"]`).count()).toBe(1);
    await page.mouse.move(at.x + 1, at.y);
    await settle(page);
    await saveDocScreenshot(page, 'viewer-selected');
    await page.mouse.move(5, 5);
  });

  it('zooms smoothly about the cursor and fits back', async () => {
    const { page } = browser;
    const fitted = (await mapState(page)).scale;
    const at = await pageOf(page, 10);
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -5000);
    await expect.poll(async () => (await mapState(page)).scale).toBeGreaterThan(fitted);
    const zoomed = (await mapState(page)).scale;
    expect(zoomed / fitted).toBeLessThanOrEqual(1.2 + 1e-9);
    // The point under the cursor stays under it.
    const after = await pageOf(page, 10);
    expect(Math.hypot(after.x - at.x, after.y - at.y)).toBeLessThan(1);
    await page.click(testId('fit'));
    await expect.poll(async () => (await mapState(page)).scale).toBeCloseTo(fitted, 6);
  });

  it('draws the anomaly’s entities in their own highlight, also when one is in the view set', async () => {
    const { page } = browser;
    await page.click(`${testId('anomaly-marker')}[data-tick="${tick}"]`);
    await waitForTick(page, tick);
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${tick}"]`);
    await page.mouse.move(5, 5);
    await settle(page);
    expect(await pixelAt(page, ...xy(await pageOf(page, partner)))).toEqual(CYAN);
    // Other view-set members stay green.
    const member = scenario.views[tick]!.get(suspect)!.find((id) => id !== partner)!;
    expect(await pixelAt(page, ...xy(await pageOf(page, member)))).toEqual(GREEN);
    const legend = await legendRgbs(page);
    expect(legend).toContain(CYAN.join(','));
    // The lifecycle lane's stripes and the path colours are explained in the same legend.
    const stripes = await page.$$eval(`${testId('lifecycle-lane')} .mark`, (marks) =>
      marks.map((m) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } })
          .getComputedStyle(m)
          .backgroundColor.replace(/[^\d,]/g, ''),
      ),
    );
    expect(stripes.length).toBeGreaterThan(0);
    for (const stripe of stripes) expect(legend).toContain(stripe);
    await expect.poll(() => page.locator(`${testId('legend-item')}[data-key="path-time"]`).count()).toBe(1);
    await saveDocScreenshot(page, 'viewer-anomaly');
  });

  it('labels the tick-B box at 1000 px', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1000, height: 800 });
    const box = page.locator(testId('diff-tick'));
    const label = page.locator('label', { has: box });
    expect(await label.textContent()).toContain('tick B');
    const labelBox = (await label.boundingBox())!;
    expect(labelBox.x + labelBox.width).toBeLessThanOrEqual(1000);
    expect(await label.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1400, height: 900 });
  });
});
