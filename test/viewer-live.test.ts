// A live stream in the viewer: the engine records straight into a LiveDataSource while the page is open.
import { AoiWorld } from '@lanes/aoi';
import { recordWorld, type TraceRecorder } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser, saveScreenshot } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';

describe('aoi-viewer: a live stream', () => {
  const live = new LiveDataSource({ name: 'live: test', retainTicks: 100 });
  const world = new AoiWorld({ mode: 'batched' });
  let recorder: TraceRecorder;
  let viewer: RunningViewer;
  let browser: Browser;

  const run = (ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      for (let id = 0; id < 20; id++) if (world.has(id)) world.move(id, world.position(id).x + (id % 3) - 1, id * 4);
      recorder.tick();
    }
  };

  beforeAll(async () => {
    await ensureClientBuilt();
    recorder = recordWorld(world, live, { tagNames: ['unit'] });
    for (let id = 0; id < 20; id++) world.add(id, { x: id * 5, y: id * 4, viewRadius: 12, tags: 1 });
    run(10);
    viewer = await startViewer({ source: live });
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    recorder?.close();
    await browser?.close();
    await viewer?.close();
  });

  it('shows the stream and follows it as it grows', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await waitForTick(page, 0);
    expect(await page.textContent(testId('source-name'))).toBe('live: test');
    expect(await page.textContent(testId('entity-count'))).toBe('20');
    // The playhead sits at the end; new ticks arrive and it moves on with them.
    await page.evaluate(() => (globalThis as unknown as { aoiViewer: { seek(t: number): void } }).aoiViewer.seek(9));
    await waitForTick(page, 9);
    world.remove(19);
    run(20);
    await expect.poll(() => page.textContent(testId('last-tick')), { timeout: 10_000 }).toBe('29');
    await waitForTick(page, 29);
    expect(await page.textContent(testId('entity-count'))).toBe('19');
    await page.evaluate(() =>
      (globalThis as unknown as { aoiViewer: { select(id: number): void } }).aoiViewer.select(4),
    );
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="29"]`);
    expect(await page.textContent(testId('entity-view'))).toBe(world.viewOf(4).join(', '));
    console.log(`screenshot: ${await saveScreenshot(page, 'live')}`);
  });

  it('keeps only the retained ticks, folding older ones into its base state', () => {
    run(150);
    const bounds = live.bounds()!;
    expect(bounds.last - bounds.first + 1).toBe(100);
    const state = live.stateAt(bounds.first + 10);
    expect(state.tick).toBe(bounds.first + 10);
    expect(live.stateAt(bounds.last).viewOf(4)).toEqual(world.viewOf(4));
  });
});
