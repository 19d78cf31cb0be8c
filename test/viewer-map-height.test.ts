// Height on the map in headless chromium (docs/aoi-viewer.md, "Height"): a trace recorded from @lanes/aoi with
// three floors and a flying unit offers "z colour" and a side view (a 2D trace offers neither: viewer-map.test.ts).
// Colours and positions are read back from the screen. The side view's screenshot goes to docs/images/
// (UPDATE_SCREENSHOTS=1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, pixelAt } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import { type HeightScenario, recordHeightScenario } from '../packages/aoi-viewer/src/test-support/height-scenario.js';
import { colourDistance, legendRgbs, xy } from '../packages/aoi-viewer/src/test-support/map-helpers.js';
import { pageOf, settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';

const BACKGROUND = [17, 20, 24];
const SELECTED = [255, 212, 0];

interface HeightHandle {
  available: boolean;
  colourBy: boolean;
  projection: 'top' | 'side';
  exaggeration: number;
  low: number;
  high: number;
}
type WithMap = { aoiViewer: { map: { height: HeightHandle; toPage(x: number, y: number): { x: number; y: number } } } };

const heightState = (browser: Browser) =>
  browser.page.evaluate(() => (globalThis as unknown as WithMap).aoiViewer.map.height);

/** The brightest-yellow pixel in a small square around a page point (a 1.5 px line drawn between pixels). */
async function yellowNear(browser: Browser, at: { x: number; y: number }): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let dx = -2; dx <= 2; dx++)
    for (let dy = -2; dy <= 2; dy++)
      best = Math.min(best, colourDistance(await pixelAt(browser.page, at.x + dx, at.y + dy), SELECTED));
  return best;
}

describe('aoi-viewer: height on the map', () => {
  let scenario: HeightScenario;
  let viewer: RunningViewer;
  let browser: Browser;
  const tick = 10;

  beforeAll(async () => {
    await ensureClientBuilt();
    scenario = recordHeightScenario();
    viewer = await startViewer({ source: new FileDataSource(scenario.trace, { name: 'floors.aoitrace' }) });
    browser = await openBrowser({ width: 1400, height: 900 });
    await browser.page.goto(`${viewer.url}?renderer=pixels`);
    await waitForTick(browser.page, 0);
    await browser.page.evaluate(
      (t) => (globalThis as unknown as { aoiViewer: { seek(t: number): void } }).aoiViewer.seek(t),
      tick,
    );
    await waitForTick(browser.page, tick);
    await browser.page.mouse.move(5, 5);
    await settle(browser.page);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  /** A walker on the lowest floor and one on the highest, at tick `tick`. */
  const lowAndHigh = () => {
    const at = scenario.positions[tick]!;
    const low = scenario.ids.find((id) => id !== scenario.flyer && at.get(id)!.z === scenario.floors[0])!;
    const high = scenario.ids.find((id) => id !== scenario.flyer && at.get(id)!.z === scenario.floors.at(-1))!;
    return { low, high };
  };

  it('offers the height controls for a trace with height', async () => {
    await expect.poll(() => browser.page.locator(testId('height-controls')).isVisible()).toBe(true);
    expect((await heightState(browser)).available).toBe(true);
  });

  it('colours by height: the lowest and highest floors take the two ends of the ramp, explained in the legend', async () => {
    const { page } = browser;
    const { low, high } = lowAndHigh();
    // Before: both are players without a coloured tag of their own... the same colour.
    const before = [
      await pixelAt(page, ...xy(await pageOf(page, low))),
      await pixelAt(page, ...xy(await pageOf(page, high))),
    ];
    expect(before[0]).toEqual(before[1]);
    await page.click(testId('height-colour'));
    await expect.poll(async () => (await heightState(browser)).colourBy).toBe(true);
    await settle(page);
    const lowRgb = await pixelAt(page, ...xy(await pageOf(page, low)));
    const highRgb = await pixelAt(page, ...xy(await pageOf(page, high)));
    // The ramp runs from blue (low z) to pale orange (high z).
    expect(colourDistance(lowRgb, highRgb)).toBeGreaterThan(100);
    expect(lowRgb[2]).toBeGreaterThan(lowRgb[0]);
    expect(highRgb[0]).toBeGreaterThan(highRgb[2]);
    expect(colourDistance(lowRgb, before[0]!)).toBeGreaterThan(30);
    // One legend entry for the ramp, with the z range; its steps are not listed one by one.
    const item = page.locator(`${testId('legend-item')}[data-key="height"]`);
    await expect.poll(() => item.count()).toBe(1);
    const { low: zLow, high: zHigh } = await heightState(browser);
    expect(await item.textContent()).toBe(`height: z ${zLow} → ${zHigh}`);
    expect(zLow).toBe(0);
    expect(zHigh).toBe(Math.max(scenario.floors.at(-1)!, scenario.positions[tick]!.get(scenario.flyer)!.z));
    const legend = await legendRgbs(page);
    expect(legend).not.toContain(lowRgb.join(','));
  });

  it('draws the side view: x across, z up, the same floor on one line; the selected cylinder as a rectangle', async () => {
    const { page } = browser;
    const { low, high } = lowAndHigh();
    const top = { low: await pageOf(page, low), high: await pageOf(page, high) };
    await page.selectOption(testId('projection'), 'side');
    await expect.poll(async () => (await heightState(browser)).projection).toBe('side');
    await settle(page);
    const side = { low: await pageOf(page, low), high: await pageOf(page, high) };
    // Higher z is drawn higher (smaller page y); x keeps its order.
    expect(side.high.y).toBeLessThan(side.low.y - 20);
    expect(Math.sign(side.high.x - side.low.x)).toBe(Math.sign(top.high.x - top.low.x));
    // Walkers of one floor share a line whatever their y.
    const at = scenario.positions[tick]!;
    const sameFloor = scenario.ids.filter((id) => id !== scenario.flyer && at.get(id)!.z === at.get(low)!.z);
    const ys = await Promise.all(sameFloor.map(async (id) => (await pageOf(page, id)).y));
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(1);
    // Drawn there, in their ramp colours.
    for (const id of [low, high]) {
      const seen = await pixelAt(page, ...xy(await pageOf(page, id)));
      expect(colourDistance(seen, BACKGROUND), `entity ${id} at ${JSON.stringify(seen)}`).toBeGreaterThan(100);
    }
    expect(colourDistance(await pixelAt(page, ...xy(side.high)), await pixelAt(page, ...xy(side.low)))).toBeGreaterThan(
      100,
    );

    // The selected walker's view cylinder: x ± radius, z ± half-height (stretched like z).
    await page.evaluate(
      (id) => (globalThis as unknown as { aoiViewer: { select(id: number): void } }).aoiViewer.select(id),
      high,
    );
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${tick}"]`);
    await settle(page);
    const { exaggeration: k } = await heightState(browser);
    const p = at.get(high)!;
    const corner = (dx: number, dz: number) =>
      page.evaluate(
        ([x, y]) => (globalThis as unknown as WithMap).aoiViewer.map.toPage(x!, y!),
        [p.x + dx, -(p.z + dz) * k],
      );
    const r = scenario.radius;
    const h = scenario.viewHeight;
    // The left and right edges at the entity's z, the top edge above it: the selected colour, not the map.
    expect(await yellowNear(browser, await corner(-r, 0))).toBeLessThan(80);
    expect(await yellowNear(browser, await corner(r, 0))).toBeLessThan(80);
    expect(await yellowNear(browser, await corner(0, h))).toBeLessThan(80);
    // Outside the rectangle (beyond the half-height, inside the radius): no line.
    expect(await yellowNear(browser, await corner(r / 2, h * 2.5))).toBeGreaterThan(150);
    await page.mouse.move(5, 5);
    await settle(page);
    await saveDocScreenshot(page, 'viewer-side-view');
  });

  it('goes back to the view from above where it was', async () => {
    const { page } = browser;
    const { low } = lowAndHigh();
    await page.selectOption(testId('projection'), 'top');
    await settle(page);
    const p = scenario.positions[tick]!.get(low)!;
    const expected = await page.evaluate(
      ([x, y]) => (globalThis as unknown as WithMap).aoiViewer.map.toPage(x!, y!),
      [p.x, p.y],
    );
    const drawn = await pageOf(page, low);
    expect(Math.hypot(drawn.x - expected.x, drawn.y - expected.y)).toBeLessThan(0.5);
  });
});
