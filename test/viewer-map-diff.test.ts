// The diff on the map: with nothing selected, differing watchers in their own colour (not "only in A" red); an
// entity seen only in B drawn where B has it; trace B's own radii drawn around the selected entity.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, pixelAt } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import {
  colourDistance,
  legendRgbs,
  mapState,
  worldToPage,
  xy,
} from '../packages/aoi-viewer/src/test-support/map-helpers.js';
import { pageOf, settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

const RED = [255, 59, 48];
const WHITE = [245, 245, 245];
const MAGENTA = [214, 59, 255];

type Handle = { aoiViewer: { select(id: number): void; seek(tick: number): void } };

describe('aoi-viewer: diff colours on the map', () => {
  let main: RecordedScenario;
  let wide: RecordedScenario;
  let viewer: RunningViewer;
  let browser: Browser;
  const tick = 25;
  const tickB = 10;

  beforeAll(async () => {
    await ensureClientBuilt();
    main = recordScenario();
    wide = recordScenario({ firstRadius: 120 });
    viewer = await startViewer({
      source: new FileDataSource(main.trace, { name: 'main' }),
      compare: new FileDataSource(wide.trace, { name: 'wide' }),
    });
    browser = await openBrowser({ width: 1400, height: 900 });
    await browser.page.goto(viewer.url);
    await waitForTick(browser.page, 0);
    await browser.page.evaluate((t) => (globalThis as unknown as Handle).aoiViewer.seek(t), tick);
    await waitForTick(browser.page, tick);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('colours differing watchers apart from "only in A" when nothing is selected', async () => {
    const { page } = browser;
    await page.check(testId('diff-toggle'));
    await page.fill(testId('diff-tick'), String(tickB));
    await page.dispatchEvent(testId('diff-tick'), 'change');
    const differing = main.ids.filter((id) => {
      const a = new Set(main.views[tick]!.get(id) ?? []);
      const b = main.views[tickB]!.get(id) ?? [];
      return b.length !== a.size || b.some((t) => !a.has(t));
    });
    expect(differing.length).toBeGreaterThan(0);
    const summary = page.locator(testId('diff-summary'));
    await expect.poll(() => summary.getAttribute('data-watchers')).toBe(String(differing.length));
    await settle(page);
    for (const id of differing) {
      const seen = await pixelAt(page, ...xy(await pageOf(page, id)));
      expect(seen, `watcher ${id}`).toEqual(WHITE);
      expect(seen).not.toEqual(RED);
    }
    expect(await legendRgbs(page)).toContain(WHITE.join(','));
  });

  it('draws an entity seen only in B where tick B has it', async () => {
    const { page } = browser;
    // A watcher that sees, at tick B, an entity it does not see now, and that entity has moved since.
    const pick = main.ids.flatMap((id) => {
      const now = new Set(main.views[tick]!.get(id) ?? []);
      const onlyB = (main.views[tickB]!.get(id) ?? []).filter((t) => !now.has(t));
      return onlyB.map((target) => ({ id, target }));
    })[0]!;
    expect(pick).toBeDefined();
    await page.evaluate((id) => (globalThis as unknown as Handle).aoiViewer.select(id), pick.id);
    await expect.poll(() => page.textContent(testId('diff-entity'))).toContain(`#${pick.id} sees`);
    await settle(page);
    const thenB = main.positions[tickB]!.get(pick.target)!;
    const nowA = main.positions[tick]!.get(pick.target)!;
    expect(Math.hypot(thenB.x - nowA.x, thenB.y - nowA.y)).toBeGreaterThan(5);
    const atB = await pixelAt(page, ...xy(await worldToPage(page, thenB.x, thenB.y)));
    expect(colourDistance(atB, MAGENTA), `${atB}`).toBeLessThan(6);
    const atA = await pixelAt(page, ...xy(await worldToPage(page, nowA.x, nowA.y)));
    expect(colourDistance(atA, MAGENTA), `${atA}`).toBeGreaterThan(60);
  });

  it('draws trace B’s own view and leave radius around the selected entity', async () => {
    const { page } = browser;
    await page.evaluate(() => (globalThis as unknown as Handle).aoiViewer.select(0));
    await page.selectOption(testId('diff-against'), 'trace');
    await expect.poll(() => page.textContent(testId('diff-summary'))).toContain(`trace B at tick ${tick}`);
    // Entity 0 sees farther in B (120, leave 130) than in A (60, leave 70). Wait for B's own data: until it has
    // arrived, the previous diff (another tick of A) still shows entity 0 with A's radii.
    await expect
      .poll(async () => {
        const shown = (await mapState(page)).stats.selectedB;
        return shown && [shown.id, shown.viewRadius, shown.leaveRadius];
      })
      .toEqual([0, 120, 130]);
    const b = (await mapState(page)).stats.selectedB!;
    const p = main.positions[tick]!.get(0)!;
    expect([b.x, b.y]).toEqual([p.x, p.y]);
    expect(await page.locator(`${testId('legend-item')}[data-key="b-leave-radius"]`).count()).toBe(1);
    // The leave circle on screen: magenta-ish pixels at B's leave radius, right of the entity.
    const onCircle = await worldToPage(page, p.x + 130, p.y);
    const near = await Promise.all([-1, 0, 1].map((dx) => pixelAt(page, onCircle.x + dx, onCircle.y)));
    expect(near.some(([r, g, bl]) => r > 120 && bl > 150 && g < 120)).toBe(true);
    await saveDocScreenshot(page, 'viewer-diff');
  });
});
