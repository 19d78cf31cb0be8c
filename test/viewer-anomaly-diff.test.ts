// Anomaly markers, search and both diff modes (two ticks, two traces) in headless chromium, checked against the
// engine's own view sets.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, pixelAt, saveScreenshot } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { pageOf, settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

/** The anomaly's own highlight (palette.ts Colour.Anomaly). */
const CYAN = [0, 229, 255];
const MAGENTA = [214, 59, 255];

/** Per watcher, what `a` sees that `b` does not, and the reverse. */
function diffTruth(a: Map<number, readonly number[]>, b: Map<number, readonly number[]>) {
  let watchers = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const va = new Set(a.get(id) ?? []);
    const vb = new Set(b.get(id) ?? []);
    const da = [...va].filter((t) => !vb.has(t)).length;
    const db = [...vb].filter((t) => !va.has(t)).length;
    onlyA += da;
    onlyB += db;
    if (da + db > 0) watchers++;
  }
  return { watchers, onlyA, onlyB };
}

describe('aoi-viewer: anomalies, search and diff', () => {
  let main: RecordedScenario;
  let wide: RecordedScenario;
  let viewer: RunningViewer;
  let browser: Browser;
  const tick = 25;
  let suspect: number;
  let other: number;

  beforeAll(async () => {
    await ensureClientBuilt();
    main = recordScenario();
    // The same world, except that entity 0 sees twice as far: a second trace to diff against.
    wide = recordScenario({ firstRadius: 120 });
    suspect = main.ids.find((id) => (main.views[tick]!.get(id)?.length ?? 0) >= 1)!;
    other = main.ids.find((id) => id !== suspect && !main.views[tick]!.get(suspect)!.includes(id))!;
    const findings = [
      { detector: 'oscillation', tick: 12, entities: [3], message: 'entity 3 entered and left 4 times' },
      { detector: 'fov-tear', tick, entities: [suspect, other], message: `${suspect} and ${other} disagree` },
    ];
    viewer = await startViewer({
      source: new FileDataSource(main.trace, { name: 'main', anomalies: findings }),
      compare: new FileDataSource(wide.trace, { name: 'wide' }),
    });
    browser = await openBrowser();
    await browser.page.goto(viewer.url);
    await waitForTick(browser.page, 0);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('marks anomalies on the timeline; a click jumps to the tick and selects the entities', async () => {
    const { page } = browser;
    expect(await page.locator(testId('anomaly-marker')).count()).toBe(2);
    expect(await page.textContent(testId('anomaly-count'))).toBe('(2)');
    await page.click(`${testId('anomaly-marker')}[data-tick="${tick}"]`);
    await waitForTick(page, tick);
    expect(await page.textContent(testId('entity-id'))).toBe(`#${suspect}`);
    expect(await page.textContent(testId('anomaly-detail'))).toContain('fov-tear');
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${tick}"]`);
    expect(await page.textContent(testId('entity-view'))).toBe(main.views[tick]!.get(suspect)!.join(', '));
    await settle(page);
    const at = await pageOf(page, other);
    expect(await pixelAt(page, at.x, at.y)).toEqual(CYAN);
    console.log(`screenshot: ${await saveScreenshot(page, 'anomaly')}`);
  });

  it('searches by tag and by id', async () => {
    const { page } = browser;
    await page.fill(testId('search-input'), 'npc');
    await page.press(testId('search-input'), 'Enter');
    const npcs = [...main.views[tick]!.keys()].filter((id) => id % 2 === 1).length;
    await expect.poll(() => page.textContent(testId('search-count'))).toBe(`(${npcs} at tick ${tick})`);
    expect(await page.locator(testId('search-result')).count()).toBe(npcs);
    await page.fill(testId('search-input'), '7');
    await page.press(testId('search-input'), 'Enter');
    await expect.poll(() => page.locator(testId('search-result')).count()).toBe(1);
    await page.click(`${testId('search-result')} button`);
    await expect.poll(() => page.textContent(testId('entity-id'))).toBe('#7');
  });

  it('diffs two ticks of one trace', async () => {
    const { page } = browser;
    await page.check(testId('diff-toggle'));
    await page.fill(testId('diff-tick'), '10');
    await page.dispatchEvent(testId('diff-tick'), 'change');
    const truth = diffTruth(main.views[tick]!, main.views[10]!);
    const summary = page.locator(testId('diff-summary'));
    await expect.poll(() => summary.getAttribute('data-watchers')).toBe(String(truth.watchers));
    expect(await summary.getAttribute('data-only-a')).toBe(String(truth.onlyA));
    expect(await summary.getAttribute('data-only-b')).toBe(String(truth.onlyB));
    expect(await summary.textContent()).toContain('B = tick 10');
  });

  it('diffs against a second trace: what entity 0 sees only with the wider radius', async () => {
    const { page } = browser;
    await page.evaluate(() =>
      (globalThis as unknown as { aoiViewer: { select(id: number): void } }).aoiViewer.select(0),
    );
    await page.selectOption(testId('diff-against'), 'trace');
    const a = new Set(main.views[tick]!.get(0)!);
    const onlyB = wide.views[tick]!.get(0)!.filter((id) => !a.has(id));
    expect(onlyB.length).toBeGreaterThan(0);
    const truth = diffTruth(main.views[tick]!, wide.views[tick]!);
    const summary = page.locator(testId('diff-summary'));
    await expect.poll(() => summary.textContent()).toContain(`trace B at tick ${tick}`);
    expect(await summary.getAttribute('data-watchers')).toBe(String(truth.watchers));
    await expect
      .poll(() => page.textContent(testId('diff-entity')))
      .toBe(`#0 sees only in A: -; only in B: ${onlyB.join(', ')}`);
    await settle(page);
    const at = await pageOf(page, onlyB[0]!);
    expect(await pixelAt(page, at.x, at.y)).toEqual(MAGENTA);
    console.log(`screenshot: ${await saveScreenshot(page, 'diff-trace')}`);
  });
});
