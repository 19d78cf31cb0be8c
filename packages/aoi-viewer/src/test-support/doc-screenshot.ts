// Screenshots the tests save for docs/aoi-viewer.md: each test that shows a main view writes it here, so the
// pictures in the docs are what the tests last saw.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const DOC_IMAGES = fileURLToPath(new URL('../../../../docs/images/', import.meta.url));

/** Saves the page as docs/images/<name>.png and returns the path. */
export async function saveDocScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(DOC_IMAGES, { recursive: true });
  const file = path.join(DOC_IMAGES, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
