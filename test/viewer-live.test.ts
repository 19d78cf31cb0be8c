// A live stream in the viewer: the engine records straight into a LiveDataSource while the page is open.
import { AoiWorld } from '@lanes/aoi';
import { MemoryTrace, recordWorld, simulate, type TraceRecorder } from '@lanes/aoi-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveDataSource, type RunningViewer, startViewer } from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import { scrubTo, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';

type W = { aoiViewer: { following: boolean; tick: number; select(id: number): void; seek(tick: number): void } };
const INGEST = 'http://127.0.0.1:7777/ingest';

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
  const following = () => browser.page.evaluate(() => (globalThis as unknown as W).aoiViewer.following);

  beforeAll(async () => {
    await ensureClientBuilt();
    // The page opens before the stream has begun, as with `aoi-trace serve --view`.
    viewer = await startViewer({ source: live, ingest: INGEST });
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    recorder?.close();
    await browser?.close();
    await viewer?.close();
  });

  it('waits for data with the ingest URL and an example, then starts at the newest tick', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await page.waitForSelector(`${testId('waiting')}:not([hidden])`);
    expect(await page.textContent(testId('waiting-url'))).toBe(INGEST);
    expect(await page.textContent(testId('waiting-example'))).toContain(`curl -X POST --data-binary @- ${INGEST}`);
    expect(await page.textContent(testId('status'))).toBe('waiting for data');

    recorder = recordWorld(world, live, { tagNames: ['unit'] });
    for (let id = 0; id < 20; id++) world.add(id, { x: id * 5, y: id * 4, viewRadius: 12, tags: 1 });
    run(10);
    await waitForTick(page, 9);
    expect(await page.isHidden(testId('waiting'))).toBe(true);
    expect(await page.textContent(testId('source-name'))).toBe('live: test');
    expect(await page.textContent(testId('entity-count'))).toBe('20');
    expect(await following()).toBe(true);
    expect(await page.textContent(testId('live-badge'))).toBe('LIVE');
  });

  it('follows the stream as it grows', async () => {
    const { page } = browser;
    world.remove(19);
    run(20);
    await expect.poll(() => page.textContent(testId('last-tick')), { timeout: 10_000 }).toBe('29');
    await waitForTick(page, 29);
    expect(await page.textContent(testId('entity-count'))).toBe('19');
    await page.evaluate(() => (globalThis as unknown as W).aoiViewer.select(4));
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="29"]`);
    expect(await page.textContent(testId('entity-view'))).toBe(world.viewOf(4).join(', '));
    console.log(`screenshot: ${await saveDocScreenshot(page, 'viewer-live')}`);
  });

  it('stops following when scrubbed back; the badge, End or Play at the end resume it', async () => {
    const { page } = browser;
    await scrubTo(page, 15);
    expect(await following()).toBe(false);
    expect(await page.textContent(testId('live-badge'))).toBe('Go live');
    run(10);
    await expect.poll(() => page.textContent(testId('last-tick')), { timeout: 10_000 }).toBe('39');
    // The stream grew; the playhead stayed where the user put it.
    expect(await page.evaluate(() => (globalThis as unknown as W).aoiViewer.tick)).toBe(15);

    await page.click(testId('live-badge'));
    await waitForTick(page, 39);
    expect(await following()).toBe(true);
    run(5);
    await waitForTick(page, 44);

    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Home');
    await waitForTick(page, live.bounds()!.first);
    expect(await following()).toBe(false);
    await page.keyboard.press('End');
    await waitForTick(page, 44);
    expect(await following()).toBe(true);

    // Space pauses following (the playhead stays at the newest tick); Play there resumes it, it does not restart.
    await page.keyboard.press('Space');
    expect(await following()).toBe(false);
    run(3);
    await expect.poll(() => page.textContent(testId('last-tick')), { timeout: 10_000 }).toBe('47');
    expect(await page.evaluate(() => (globalThis as unknown as W).aoiViewer.tick)).toBe(44);
    await scrubTo(page, 47);
    expect(await following()).toBe(true);
    await page.keyboard.press('Space');
    expect(await following()).toBe(false);
    await page.click(testId('play'));
    expect(await following()).toBe(true);
    run(2);
    await waitForTick(page, 49);
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

describe('aoi-viewer: live detectors', () => {
  let viewer: RunningViewer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('runs the detectors on the stream; their anomalies appear on the page as they are found', async () => {
    // A recording with torn views injected, fed to the live source tick by tick.
    const trace = new MemoryTrace();
    simulate({ scenario: 'random-walk', entities: 60, ticks: 80, inject: { tornView: { rate: 0.02 } } }, trace);
    const live = new LiveDataSource({ name: 'live: detectors' });
    viewer = await startViewer({ source: live });
    const { page } = browser;
    await page.goto(viewer.url);
    live.begin(trace.header);
    const feed = (from: number, to: number) => {
      for (const record of trace.records.slice(from, to)) live.push(record);
    };
    feed(0, 5);
    await waitForTick(page, 4);
    expect(live.anomalies()).toHaveLength(0);
    expect(await page.textContent(testId('anomaly-count'))).toBe('(detectors running…)');

    feed(5, 80);
    const found = live.anomalies().length;
    expect(found).toBeGreaterThan(0);
    await expect
      .poll(() => page.textContent(testId('anomaly-count')), { timeout: 10_000 })
      .toBe(`(${found} · detectors running…)`);
    expect(await page.locator(testId('anomaly-item')).count()).toBe(found);
    const markers = await page
      .locator(testId('anomaly-marker'))
      .evaluateAll((nodes) => nodes.reduce((sum, n) => sum + Number(n.getAttribute('data-count')), 0));
    expect(markers).toBe(found);
    const detectors = new Set(live.anomalies().map((f) => f.detector));
    expect(detectors.has('torn-view')).toBe(true);
    console.log(`screenshot: ${await saveDocScreenshot(page, 'viewer-live-anomalies')}`);
  });
});
