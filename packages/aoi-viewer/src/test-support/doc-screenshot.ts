// Screenshots the browser tests save for docs/aoi-viewer.md (docs/images/aoi-viewer-<name>.png).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const DOC_IMAGES = fileURLToPath(new URL('../../../../docs/images/', import.meta.url));

/** Saves the page as docs/images/aoi-viewer-`name`.png and returns the path. */
export async function saveDocScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(DOC_IMAGES, { recursive: true });
  const file = path.join(DOC_IMAGES, `aoi-viewer-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
