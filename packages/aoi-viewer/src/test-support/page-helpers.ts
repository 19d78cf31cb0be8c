// Reading and driving the viewer page through its `window.aoiViewer` handle and its data-testid elements.
import type { Page } from 'playwright-core';

/** What client/src/main.ts exposes as `window.aoiViewer`. */
export interface ViewerHandle {
  readonly renderer: 'canvas' | 'pixels' | 'webgl';
  readonly tick: number;
  readonly ready: boolean;
  readonly entityCount: number;
  readonly drawnFrames: number;
  readonly playing: boolean;
  readonly following: boolean;
  readonly timelineWindow: { from: number; to: number };
  pageOf(id: number): { x: number; y: number } | null;
  seek(tick: number): void;
  select(id: number): void;
  play(speed?: number): void;
  pause(): void;
}

type WithViewer = { aoiViewer?: ViewerHandle };

/** Waits until the page shows `tick` with its data loaded. */
export async function waitForTick(page: Page, tick: number): Promise<void> {
  await page.waitForFunction(
    (t) => {
      const v = (globalThis as unknown as WithViewer).aoiViewer;
      return v?.ready === true && v.tick === t;
    },
    tick,
    { timeout: 10_000 },
  );
}

export async function viewerState(page: Page) {
  return page.evaluate(() => {
    const v = (globalThis as unknown as WithViewer).aoiViewer!;
    return { tick: v.tick, entityCount: v.entityCount, renderer: v.renderer, drawnFrames: v.drawnFrames };
  });
}

/** Page coordinates of an entity at the current tick. */
export async function pageOf(page: Page, id: number): Promise<{ x: number; y: number }> {
  const at = await page.evaluate((entity) => (globalThis as unknown as WithViewer).aoiViewer!.pageOf(entity), id);
  if (at === null) throw new Error(`entity ${id} is not on the page`);
  return at;
}

/** Moves the scrubber like a user dragging it to `tick`. */
export async function scrubTo(page: Page, tick: number): Promise<void> {
  await page.locator('[data-testid="scrubber"]').evaluate((input, t) => {
    (input as unknown as { value: string }).value = String(t);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, tick);
  await waitForTick(page, tick);
}

/** Resolves after two more animation frames, so what is asserted has been drawn. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

export const testId = (id: string) => `[data-testid="${id}"]`;
