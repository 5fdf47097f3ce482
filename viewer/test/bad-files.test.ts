import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { fixtureCloud } from '../../src/serve/fixture-scenes.js';
import { startViewServer, type ViewServer } from '../../src/serve/server.js';
import { writePly } from '../../src/data/formats/index.js';
import {
  SKIP_BROWSER,
  buildViewer,
  canvasColors,
  countWhere,
  launch,
  waitLoaded,
  watchErrors,
} from './browser-helpers.js';
import { requireShared } from '../../test/helpers/requires.js';

// Issue 17: a folder of scans with a link outside the root, a dangling link, a file that is not a
// PLY and a truncated PLY, sorted before the good scans: the viewer must draw the first good one.
const BACKGROUND = [27, 29, 34];
const SCANNET = join(import.meta.dirname, '../../../shared/data/scannet/scans/scene0000_00');
const SCANNET_PLY = join(SCANNET, 'scene0000_00_vh_clean_2.ply');

/** Canvas pixels that are not the background colour. */
async function drawnPixels(page: Page): Promise<number> {
  const c = await canvasColors(page);
  return countWhere(c, (r, g, b) => r !== BACKGROUND[0] || g !== BACKGROUND[1] || b !== BACKGROUND[2]);
}

describe('viewer on a folder with bad files', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-badfiles-'));
  const dir = join(tmp, 'scans');
  let server: ViewServer;
  let ctx: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(dir);
    mkdirSync(join(tmp, 'outside'));
    const good = writePly(fixtureCloud(4000, 5));
    writeFileSync(join(tmp, 'outside', 'secret.ply'), good);
    symlinkSync(join(tmp, 'outside', 'secret.ply'), join(dir, 'a_escape.ply'));
    symlinkSync(join(dir, 'gone.ply'), join(dir, 'a_dangling.ply'));
    writeFileSync(join(dir, 'b_garbage.ply'), 'this is not a point cloud\n');
    const full = writePly(fixtureCloud(3000, 6));
    writeFileSync(join(dir, 'c_truncated.ply'), full.subarray(0, Math.floor(full.byteLength * 0.6)));
    writeFileSync(join(dir, 'd_good.ply'), good);
    writeFileSync(join(dir, 'e_good.ply'), writePly(fixtureCloud(2000, 7)));
    server = await startViewServer({ root: dir, port: 0, viewerDir: await buildViewer() });
    ctx = await launch();
  });
  after(async () => {
    await ctx?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const open = async (url: string): Promise<Page> => {
    const page = await ctx.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(url);
    return page;
  };

  test('opens the first scan that loads; the bad ones are reported by name and stay visible', async () => {
    const page = await open(`${server.url}#edl=0&size=3`);
    await waitLoaded(page, 'd_good');
    assert.equal(await page.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 4000);
    const drawn = await drawnPixels(page);
    assert.ok(drawn > 2000, `the good scan covers ${drawn} px`);
    const scenes = await page.locator('.lil-controller select').first().locator('option').allInnerTexts();
    assert.deepEqual(scenes, ['b_garbage', 'c_truncated', 'd_good', 'e_good'], 'links left out of the list');
    await page.waitForTimeout(11_000); // longer than a transient message lives
    const messages = await page.locator('#messages').innerText();
    assert.match(messages, /a_escape\.ply: not listed \(link points outside the served folder\)/);
    assert.match(messages, /a_dangling\.ply: not listed \(link to a missing file\)/);
    assert.match(messages, /b_garbage: b_garbage\.ply: .*(ply|header|magic)/i);
    assert.match(messages, /c_truncated: c_truncated\.ply: .*(truncated|expected|bytes)/i);
    assert.match(
      await page.locator('#status').innerText(),
      /d_good · 4,000 points.*b_garbage, c_truncated: could not load; showing d_good/,
    );
    await page.close();
  });

  test('stepping back over the bad scans wraps to the next good one', async () => {
    const page = await open(`${server.url}#scene=d_good&edl=0`);
    await waitLoaded(page, 'd_good');
    await page.keyboard.press('p');
    await waitLoaded(page, 'e_good');
    assert.equal(await page.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 2000);
    assert.ok((await drawnPixels(page)) > 1000);
    await page.close();
  });

  test('a link to a bad scan opens the next good one and keeps the message', async () => {
    const page = await open(`${server.url}#scene=c_truncated&edl=0`);
    await waitLoaded(page, 'd_good');
    assert.match(await page.locator('#messages').innerText(), /c_truncated: c_truncated\.ply/);
    await page.close();
  });

  test('a real ScanNet scan after the bad files is drawn', { skip: requireShared(SCANNET_PLY) }, async () => {
    const real = join(tmp, 'real');
    mkdirSync(real);
    copyFileSync(SCANNET_PLY, join(real, 'scene0000_00_vh_clean_2.ply'));
    symlinkSync(SCANNET_PLY, join(real, 'escape.ply'));
    writeFileSync(join(real, 'broken.ply'), 'ply\nformat binary_little_endian 1.0\nelement vertex 9\n');
    const s = await startViewServer({ root: real, port: 0, viewerDir: await buildViewer() });
    try {
      const page = await open(`${s.url}#edl=0`);
      await waitLoaded(page, 'scene0000_00_vh_clean_2', 40_000);
      assert.equal(await page.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 81_369);
      assert.ok((await drawnPixels(page)) > 20_000);
      const messages = await page.locator('#messages').innerText();
      assert.match(messages, /escape\.ply: not listed/);
      assert.match(messages, /broken: broken\.ply/);
      await page.close();
    } finally {
      await s.close();
    }
  });

  test('no page errors: on a page of its own that meets the bad files, and on the pages before', async () => {
    const own = await ctx.newPage();
    const ownErrors = watchErrors(own, [], false);
    try {
      await own.goto(`${server.url}#edl=0`);
      await waitLoaded(own, 'd_good');
      assert.match(await own.locator('#messages').innerText(), /b_garbage: b_garbage\.ply/);
    } finally {
      await own.close();
    }
    assert.deepEqual(ownErrors, []);
    assert.deepEqual(problems, []);
  });
});
