/**
 * Renders docs/images/viewer-segment.png: ScanNet scene0000_01 (from ../shared/data, never copied
 * into the repo) picked with “Segment a file…” and segmented in the page by a segmentation run.
 * Usage: npx tsx viewer/scripts/segment-screenshot.ts RUN [out.png] ['#hash'] [backend]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startViewServer } from '../../src/serve/server.js';
import { launchChromium } from '../../src/serve/chromium.js';
import { buildViewer } from '../test/browser-helpers.js';

const SCAN = resolve('../shared/data/scannet/scans/scene0000_01/scene0000_01_vh_clean_2.ply');
const [run, out = 'docs/images/viewer-segment.png', hash = '#size=2.5', backend = 'auto'] =
  process.argv.slice(2);
if (!run) throw new Error('usage: segment-screenshot.ts RUN [out.png] [#hash] [backend]');
if (!existsSync(SCAN)) throw new Error(`${SCAN} not found (the shared ScanNet fixture)`);

const server = await startViewServer({
  root: SCAN,
  checkpoint: run,
  port: 0,
  viewerDir: await buildViewer(),
});
const ctx = await launchChromium({ viewport: { width: 1280, height: 760 } });
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}?backend=${backend}${hash}`);
  await page.waitForFunction(() => window.pointcontrastViewer.segmenter.manifest !== null);
  await page.setInputFiles('#segment-input', SCAN);
  await page.waitForFunction(() => document.body.dataset.loaded?.endsWith('(segmented)'), null, {
    timeout: 300_000,
  });
  await page.waitForTimeout(300);
  const path = resolve(out);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  console.log(`${path}: ${await page.locator('#segment').innerText()}`);
} finally {
  await ctx.close();
  await server.close();
}
