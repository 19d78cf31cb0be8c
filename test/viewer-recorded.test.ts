// Open a recorded trace in headless chromium: scrub, play, select an entity and check the page against the engine.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, pixelAt, saveScreenshot } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import {
  pageOf,
  scrubTo,
  settle,
  testId,
  viewerState,
  waitForTick,
} from '../packages/aoi-viewer/src/test-support/page-helpers.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

const YELLOW = [255, 212, 0];
const GREEN = [46, 204, 113];

describe('aoi-viewer: a recorded trace', () => {
  let scenario: RecordedScenario;
  let viewer: RunningViewer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    scenario = recordScenario();
    viewer = await startViewer({ source: new FileDataSource(scenario.trace, { name: 'ring.aoitrace' }) });
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('opens at the first tick with every entity drawn', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await waitForTick(page, 0);
    await expect.poll(() => page.textContent(testId('entity-count'))).toBe('40');
    expect(await page.textContent(testId('last-tick'))).toBe('59');
    expect(await page.textContent(testId('source-name'))).toBe('ring.aoitrace');
    const state = await viewerState(page);
    expect(state.entityCount).toBe(40);
    console.log(`renderer: ${state.renderer}; screenshot: ${await saveScreenshot(page, 'recorded-open')}`);
  });

  it('scrubs forward and back, and shows the removed entity gone', async () => {
    const { page } = browser;
    await scrubTo(page, 42);
    expect(await page.textContent(testId('tick'))).toBe('42');
    expect(await page.textContent(testId('entity-count'))).toBe('39');
    await scrubTo(page, 10);
    expect(await page.textContent(testId('entity-count'))).toBe('40');
    // Positions on screen follow the trace: entity 7 moved between the two ticks.
    const at10 = await pageOf(page, 7);
    await scrubTo(page, 30);
    const at30 = await pageOf(page, 7);
    expect(Math.hypot(at30.x - at10.x, at30.y - at10.y)).toBeGreaterThan(1);
  });

  it('selects an entity by clicking it and shows its view set as the engine computed it', async () => {
    const { page } = browser;
    const tick = 30;
    // An entity that sees something at this tick, so the view set is not trivially empty.
    const id = scenario.ids.find((e) => (scenario.views[tick]!.get(e)?.length ?? 0) >= 2)!;
    const truth = scenario.views[tick]!.get(id)!;
    const at = await pageOf(page, id);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.textContent(testId('entity-id'))).toBe(`#${id}`);
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${tick}"]`);
    expect(await page.textContent(testId('entity-view-count'))).toBe(String(truth.length));
    expect(await page.textContent(testId('entity-view'))).toBe(truth.join(', '));
    // The lifecycle lane: created at tick 0 (inside the window), moved in/out marks match the event list.
    const counts = await page.getAttribute(testId('lifecycle-lane'), 'data-counts');
    expect(counts).toMatch(/^created:1 /);
    expect(await page.locator(`${testId('entity-events')} li`).count()).toBeGreaterThan(0);

    await settle(page);
    const selectedAt = await pageOf(page, id);
    expect(await pixelAt(page, selectedAt.x, selectedAt.y)).toEqual(YELLOW);
    const seenAt = await pageOf(page, truth[0]!);
    expect(await pixelAt(page, seenAt.x, seenAt.y)).toEqual(GREEN);
    console.log(`screenshot: ${await saveScreenshot(page, 'recorded-selected')}`);
  });

  it('plays and pauses', async () => {
    const { page } = browser;
    await page.selectOption(testId('speed'), '0.25');
    await page.click(testId('play'));
    await page.waitForFunction(
      () => ((globalThis as unknown as { aoiViewer: { tick: number } }).aoiViewer.tick ?? 0) >= 40,
    );
    await page.click(testId('play'));
    expect(await page.textContent(testId('play'))).toBe('Play');
    const paused = (await viewerState(page)).tick;
    expect(paused).toBeGreaterThanOrEqual(40);
    await settle(page);
    expect((await viewerState(page)).tick).toBe(paused);
    // The panel follows the playhead: it now describes the paused tick.
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${paused}"]`);
  });
});
