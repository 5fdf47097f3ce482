/**
 * Serves `root` (a scan or a prediction folder) with the built viewer, opens `hash` in headless
 * Debian chromium, waits for the first loaded frame and saves a PNG: the figures in the docs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startViewServer } from '../../src/serve/server.js';
import { launchChromium } from '../../src/serve/chromium.js';
import { buildViewer } from '../test/browser-helpers.js';

export async function screenshotViewer(
  root: string,
  hash: string,
  out: string,
  settleMs = 300,
): Promise<void> {
  const server = await startViewServer({ root, port: 0, viewerDir: await buildViewer() });
  const ctx = await launchChromium({ viewport: { width: 1280, height: 760 } });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${server.url}${hash}`);
    await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 60_000 });
    await page.waitForTimeout(settleMs);
    const path = resolve(out);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path });
    console.log(`${path}: ${await page.evaluate(() => location.hash)}`);
  } finally {
    await ctx.close();
    await server.close();
  }
}
