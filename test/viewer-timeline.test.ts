// The timeline and the panels beside it, in headless chromium: the ruler and its zoom, detector-coloured markers
// and their filters, honest counts, Play at the last tick, lists that follow the playhead, and the keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnomalyFinding,
  FileDataSource,
  type RunningViewer,
  startViewer,
} from '../packages/aoi-viewer/src/index.js';
import { type Browser, openBrowser } from '../packages/aoi-viewer/src/test-support/browser.js';
import { ensureClientBuilt } from '../packages/aoi-viewer/src/test-support/client-build.js';
import { saveDocScreenshot } from '../packages/aoi-viewer/src/test-support/doc-screenshot.js';
import { pageOf, scrubTo, settle, testId, waitForTick } from '../packages/aoi-viewer/src/test-support/page-helpers.js';
import { type RecordedScenario, recordScenario } from '../packages/aoi-viewer/src/test-support/scenario.js';

type Handle = {
  tick: number;
  playing: boolean;
  ready: boolean;
  timelineWindow: { from: number; to: number };
  select(id: number): void;
  seek(tick: number): void;
};
type W = { aoiViewer: Handle };
// What the page-side callbacks use of the DOM (the tests are type-checked without the DOM library).
type StyleOf = { getComputedStyle(node: unknown): { backgroundColor: string } };
type Row = {
  dataset: Record<string, string | undefined>;
  offsetTop: number;
  classList: { contains(c: string): boolean };
};
type WithDocument = { document: { activeElement: { getAttribute(name: string): string | null } | null } };

/** Findings as a detector run would keep them: torn-view on many ticks (crowding), oscillation on a few. */
function makeFindings(): AnomalyFinding[] {
  const findings: AnomalyFinding[] = [];
  for (let i = 0; i < 500; i++) {
    const tick = 5 + (i % 50);
    findings.push({ detector: 'torn-view', tick, entities: [i % 40, (i + 1) % 40], message: `tear ${i}` });
  }
  for (const tick of [3, 30, 57]) {
    findings.push({ detector: 'oscillation', tick, entities: [2], message: `entity 2 flickers at ${tick}` });
  }
  return findings;
}

describe('aoi-viewer: timeline, panels and keyboard', () => {
  let scenario: RecordedScenario;
  let source: FileDataSource;
  let viewer: RunningViewer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureClientBuilt();
    scenario = recordScenario();
    source = new FileDataSource(scenario.trace, { name: 'ring.aoitrace' });
    // Detectors "running behind the viewer", as `aoi-trace view` starts them.
    source.detectionStarted();
    viewer = await startViewer({ source });
    browser = await openBrowser({ width: 1400, height: 900 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await viewer?.close();
  });

  it('says the detectors are running, then "500 of 586 shown" when they kept fewer than they found', async () => {
    const { page } = browser;
    await page.goto(viewer.url);
    await waitForTick(page, 0);
    expect(await page.textContent(testId('anomaly-count'))).toBe('(detectors running…)');
    const findings = makeFindings();
    source.addAnomalies(findings, { 'torn-view': 586, oscillation: 3 });
    await expect
      .poll(() => page.textContent(testId('anomaly-count')), { timeout: 10_000 })
      .toBe(`(${findings.length} of ${586 + 3} shown)`);
    const filters = await page.locator(testId('anomaly-filter')).allTextContents();
    expect(filters.map((t) => t.trim())).toEqual(['oscillation 3', 'torn-view 500 of 586']);
    expect(await page.locator(testId('anomaly-item')).count()).toBe(findings.length);
  });

  it('aggregates crowded markers into density bins coloured by detector, and filters them per detector', async () => {
    const { page } = browser;
    const markers = page.locator(testId('anomaly-marker'));
    const read = () =>
      markers.evaluateAll((nodes) =>
        nodes.map((n) => ({
          count: Number(n.getAttribute('data-count')),
          detector: n.getAttribute('data-detector'),
          colour: (globalThis as unknown as StyleOf).getComputedStyle(n).backgroundColor,
        })),
      );
    const all = await read();
    // Every listed finding is in exactly one marker; crowded ticks share one (fewer markers than findings).
    expect(all.reduce((sum, m) => sum + m.count, 0)).toBe(503);
    expect(all.length).toBeLessThan(503);
    const colours = new Map(all.map((m) => [m.detector, m.colour]));
    expect([...colours.keys()].sort()).toEqual(['oscillation', 'torn-view']);
    expect(colours.get('oscillation')).not.toBe(colours.get('torn-view'));

    await page.locator(`${testId('anomaly-filter')}[data-detector="torn-view"] input`).uncheck();
    const only = await read();
    expect(only.reduce((sum, m) => sum + m.count, 0)).toBe(3);
    expect(new Set(only.map((m) => m.detector))).toEqual(new Set(['oscillation']));
    expect(await page.locator(testId('anomaly-item')).count()).toBe(3);
    await page.locator(`${testId('anomaly-filter')}[data-detector="torn-view"] input`).check();
    expect(await page.locator(testId('anomaly-item')).count()).toBe(503);
  });

  it('labels the ruler with ticks and zooms it', async () => {
    const { page } = browser;
    const labels = async () => (await page.locator(testId('ruler-label')).allTextContents()).map(Number);
    const whole = await labels();
    expect(whole[0]).toBe(0);
    expect(whole.length).toBeGreaterThan(2);
    expect(whole.every((t) => t >= 0 && t <= 59)).toBe(true);
    await scrubTo(page, 30);
    await page.click(testId('zoom-in'));
    const zoomed = await page.evaluate(() => (globalThis as unknown as W).aoiViewer.timelineWindow);
    expect(zoomed.to - zoomed.from).toBeLessThan(59);
    expect(zoomed.from).toBeLessThanOrEqual(30);
    expect(zoomed.to).toBeGreaterThanOrEqual(30);
    const zoomedLabels = await labels();
    expect(zoomedLabels.every((t) => t >= zoomed.from && t <= zoomed.to)).toBe(true);
    // Finer steps when zoomed in.
    expect(zoomedLabels[1]! - zoomedLabels[0]!).toBeLessThan(whole[1]! - whole[0]!);
    await page.click(testId('zoom-all'));
    expect(await page.evaluate(() => (globalThis as unknown as W).aoiViewer.timelineWindow)).toEqual({
      from: 0,
      to: 59,
    });
  });

  it('highlights the anomalies at the current tick and keeps them in view', async () => {
    const { page } = browser;
    await scrubTo(page, 57);
    const current = page.locator(`${testId('anomaly-item')}.current`);
    await expect.poll(() => current.count()).toBeGreaterThan(0);
    expect(new Set(await current.evaluateAll((n) => n.map((x) => x.getAttribute('data-tick'))))).toEqual(
      new Set(['57']),
    );
    // The list fills the sidebar's height and the highlighted row is scrolled into it.
    const box = await page.locator(testId('anomaly-list')).boundingBox();
    const row = await current.first().boundingBox();
    expect(box!.height).toBeGreaterThan(300);
    expect(row!.y).toBeGreaterThanOrEqual(box!.y);
    expect(row!.y + row!.height).toBeLessThanOrEqual(box!.y + box!.height + 1);
    console.log(`screenshot: ${await saveDocScreenshot(page, 'viewer-timeline-anomalies')}`);
  });

  it('Play at the last tick starts again from the first and keeps playing', async () => {
    const { page } = browser;
    await scrubTo(page, 59);
    await page.click(testId('play'));
    await page.waitForFunction(
      () => {
        const v = (globalThis as unknown as W).aoiViewer;
        return v.playing && v.ready && v.tick > 0 && v.tick < 59;
      },
      undefined,
      { timeout: 10_000 },
    );
    await page.click(testId('play'));
    expect(await page.evaluate(() => (globalThis as unknown as W).aoiViewer.playing)).toBe(false);
  });

  it('lists the selected entity’s events from the current tick, those at it highlighted', async () => {
    const { page } = browser;
    const tick = 30;
    // Of the entities with events at this tick, the one with the most events overall (a list that scrolls).
    const record = scenario.trace.records[tick]!;
    const eventsOf = (id: number) => {
      let n = 0;
      for (const r of scenario.trace.records) {
        for (let i = 0; i < r.events.count; i++) if (r.events.watchers[i] === id || r.events.targets[i] === id) n++;
      }
      return n;
    };
    const candidates = [...new Set(record.events.watchers.subarray(0, record.events.count))];
    const id = candidates.sort((a, b) => eventsOf(b) - eventsOf(a) || a - b)[0]!;
    let atTick = 0;
    for (let i = 0; i < record.events.count; i++) {
      if (record.events.watchers[i] === id || record.events.targets[i] === id) atTick++;
    }
    await scrubTo(page, tick);
    await page.evaluate((e) => (globalThis as unknown as W).aoiViewer.select(e), id);
    await page.waitForSelector(`${testId('entity-panel')}[data-tick="${tick}"]`);
    const list = await page.locator(testId('entity-events')).evaluate((node, t) => {
      const items = [...node.querySelectorAll('li[data-tick]')] as unknown as Row[];
      const anchor = items.find((li) => Number(li.dataset.tick) >= t)!;
      return {
        scrollTop: node.scrollTop,
        // Where the list starts: the first event at or after the tick on top, as far as the list can scroll.
        expectedTop: Math.min(anchor.offsetTop, node.scrollHeight - node.clientHeight),
        anchorTick: Number(anchor.dataset.tick),
        earlier: items.filter((li) => Number(li.dataset.tick) < t).length,
        current: items.filter((li) => li.classList.contains('current')).map((li) => Number(li.dataset.tick)),
      };
    }, tick);
    expect(list.anchorTick).toBe(tick);
    expect(list.scrollTop).toBeGreaterThan(0);
    expect(Math.abs(list.scrollTop - list.expectedTop)).toBeLessThanOrEqual(1);
    expect(list.current).toEqual(Array.from({ length: atTick }, () => tick));
    // Earlier events are still there, above: the list was scrolled, not cut.
    expect(list.earlier).toBeGreaterThan(0);
  });

  it('clears a search result when another entity is selected, and explains an id that has left', async () => {
    const { page } = browser;
    await page.fill(testId('search-input'), '3');
    await page.click(`${testId('search-form')} button`);
    await expect.poll(() => page.locator(testId('search-result')).count()).toBe(1);
    await page.evaluate(() => (globalThis as unknown as W).aoiViewer.select(6));
    await expect.poll(() => page.locator(testId('search-result')).count()).toBe(0);
    expect(await page.textContent(testId('search-count'))).toBe('');

    await scrubTo(page, 42);
    await page.fill(testId('search-input'), '1');
    await page.click(`${testId('search-form')} button`);
    await expect
      .poll(() => page.textContent(testId('search-absent')))
      .toBe('#1 is not alive at tick 42: it left at tick 40 and comes back at tick 45.');
  });

  it('has keyboard shortcuts, listed in the ? overlay', async () => {
    const { page } = browser;
    await scrubTo(page, 20);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const tick = () => page.evaluate(() => (globalThis as unknown as W).aoiViewer.tick);
    await page.keyboard.press('ArrowRight');
    await waitForTick(page, 21);
    await page.keyboard.press('Shift+ArrowRight');
    await waitForTick(page, 31);
    await page.keyboard.press('ArrowLeft');
    await waitForTick(page, 30);
    await page.keyboard.press('Shift+ArrowLeft');
    await waitForTick(page, 20);
    await page.keyboard.press('End');
    await waitForTick(page, 59);
    await page.keyboard.press('Home');
    await waitForTick(page, 0);
    await page.keyboard.press('Space');
    await page.waitForFunction(() => (globalThis as unknown as W).aoiViewer.playing);
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => (globalThis as unknown as W).aoiViewer.playing)).toBe(false);
    expect(await tick()).toBeGreaterThanOrEqual(0);

    await page.evaluate(() => (globalThis as unknown as W).aoiViewer.select(4));
    await expect.poll(() => page.isVisible(testId('entity-panel'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.isVisible(testId('entity-panel'))).toBe(false);

    await page.keyboard.press('/');
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as WithDocument).document.activeElement?.getAttribute('data-testid'),
      ),
    ).toBe('search-input');
    // Typing in the search box is typing, not shortcuts.
    await page.keyboard.type('f ');
    expect(await page.inputValue(testId('search-input'))).toBe('f ');
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    expect(await page.isVisible(testId('help'))).toBe(true);
    const help = await page.textContent(testId('help-keys'));
    for (const key of ['Space', '← / →', 'Shift + ← / →', 'Home / End', 'Esc', '/', 'f', '?']) {
      expect(help).toContain(key);
    }
    await page.keyboard.press('Escape');
    expect(await page.isVisible(testId('help'))).toBe(false);

    // f fits the map again after a pan.
    await page.keyboard.press('f');
    await settle(page);
    const before = await pageOf(page, 0);
    const map = (await page.locator(testId('map')).boundingBox())!;
    await page.mouse.move(map.x + map.width / 2, map.y + map.height / 2);
    await page.mouse.down();
    await page.mouse.move(map.x + map.width / 2 + 120, map.y + map.height / 2 + 80, { steps: 4 });
    await page.mouse.up();
    await settle(page);
    const panned = await pageOf(page, 0);
    expect(Math.hypot(panned.x - before.x, panned.y - before.y)).toBeGreaterThan(50);
    await page.keyboard.press('f');
    await settle(page);
    const fitted = await pageOf(page, 0);
    expect(Math.hypot(fitted.x - before.x, fitted.y - before.y)).toBeLessThan(2);
  });
});
