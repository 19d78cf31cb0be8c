// Screenshots the tests save for docs/aoi-viewer.md: each test that shows a main view takes one. With
// UPDATE_SCREENSHOTS=1 they replace the pictures in docs/images (as UPDATE_GOLDEN=1 does for golden files);
// otherwise they go to a temporary folder, so a test run never rewrites tracked files.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const DOC_IMAGES =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../../../docs/images/', import.meta.url))
    : path.join(tmpdir(), 'aoi-viewer-screenshots');

/** Saves the page as <DOC_IMAGES>/<name>.png and returns the path. */
export async function saveDocScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(DOC_IMAGES, { recursive: true });
  const file = path.join(DOC_IMAGES, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
