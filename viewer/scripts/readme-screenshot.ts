/**
 * Renders docs/images/viewer-scannet.png: the real ScanNet scene0000_00 (NYU40 labels PLY from
 * ../shared/data, never copied into the repo) in our own viewer, coloured by the scannet20 palette.
 * Usage: npx tsx viewer/scripts/readme-screenshot.ts ['#extra=hash'] [out.png]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { startViewServer } from '../../src/serve/server.js';
import { launchChromium } from '../../src/serve/chromium.js';
import { buildViewer } from '../test/browser-helpers.js';

const SCAN = resolve('../shared/data/scannet/scans/scene0000_00/scene0000_00_vh_clean_2.labels.ply');
// Ceiling (NYU40 22) hidden so the room can be seen from above; camera from the south-east corner.
const HASH =
  process.argv[2] ??
  '#mode=gt&labels=scannet20%3Araw&hide=22&size=2.5&cam=4.25%2C-6.78%2C7.56%2C-0.9%2C0.5%2C0.5';
const OUT = resolve(process.argv[3] ?? 'docs/images/viewer-scannet.png');

if (!existsSync(SCAN)) throw new Error(`${SCAN} not found (the shared ScanNet fixture)`);
const server = await startViewServer({ root: SCAN, port: 0, viewerDir: await buildViewer() });
const ctx = await launchChromium({ viewport: { width: 1280, height: 760 } });
try {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}${HASH}`);
  await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  mkdirSync(dirname(OUT), { recursive: true });
  await page.screenshot({ path: OUT });
  console.log(`${OUT}: ${await page.evaluate(() => location.hash)}`);
} finally {
  await ctx.close();
  await server.close();
}
