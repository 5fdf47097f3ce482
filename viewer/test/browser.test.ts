import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  FIXTURE_BLOCKS,
  FIXTURE_CLASSES,
  fixtureCloud,
  writeFixturePredictions,
} from '../../src/serve/fixture-scenes.js';
import { startViewServer, type ViewServer } from '../../src/serve/server.js';
import { writePly } from '../../src/data/formats/index.js';
import { instanceColor } from '../src/colors/colors.js';
import { rampColor } from '../src/colors/color-ramp.js';
import {
  SKIP_BROWSER,
  buildViewer,
  canvasColors,
  count,
  countWhere,
  guiButton,
  guiControl,
  launch,
  project,
  waitLoaded,
  watchErrors,
} from './browser-helpers.js';
import { requireShared } from '../../test/helpers/requires.js';

const color = (name: string): number[] => FIXTURE_CLASSES.find((c) => c.name === name)!.color;
const WALL = color('wall');
const FLOOR = color('floor');
const CHAIR = color('chair');
const SOFA = color('sofa');
const TABLE = color('table');
const IGNORE = [115, 115, 115];
const CORRECT = [140, 199, 140];
const WRONG = [230, 31, 31];

describe('viewer in headless chromium', { skip: SKIP_BROWSER, timeout: 300_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-browser-'));
  const shots = join(tmp, 'screenshots');
  let server: ViewServer;
  let viewerDir: string;
  let ctx: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const watch = (p: Page): void => {
    watchErrors(p, problems);
  };
  const selectMode = async (label: string): Promise<void> => {
    await guiControl(page, 'colour by').locator('select').selectOption({ label });
  };
  const legendRow = (name: string) =>
    page.locator('#legend .legend-row', { hasText: new RegExp(`^${name}`) });

  before(async () => {
    mkdirSync(shots);
    const run = join(tmp, 'run');
    writeFixturePredictions(join(run, 'predictions'), [
      { name: 'scene_a', points: 60_000, boxes: true },
      { name: 'scene_b', points: 20_000, seed: 2 },
      { name: 'scene_c', points: 1000, seed: 3 },
    ]);
    const broken = join(run, 'predictions', 'scene_c.ply');
    writeFileSync(broken, readFileSync(broken).subarray(0, 20_000)); // truncated body
    viewerDir = await buildViewer();
    server = await startViewServer({ root: run, port: 0, viewerDir });
    ctx = await launch();
    page = ctx.pages()[0] ?? (await ctx.newPage());
    watch(page);
  });
  after(async () => {
    await ctx?.close();
    await server?.close();
    if (!process.env.POINTCONTRAST_KEEP_SHOTS) rmSync(tmp, { recursive: true, force: true });
    else console.log(`screenshots kept in ${shots}`);
  });

  test('loads the first scene and draws a frame', async () => {
    await page.goto(`${server.url}#edl=0&size=3&boxes=0`);
    await waitLoaded(page, 'scene_a');
    const last = await page.evaluate(() => window.pointcontrastViewer.lastLoad);
    assert.equal(last?.points, 60_000);
    assert.match(await page.locator('#status').innerText(), /scene_a · 60,000 points/);
    assert.equal(
      await page.evaluate(() => window.pointcontrastViewer.state.mode),
      'pred',
      'default mode: prediction',
    );
  });

  test('ground truth: class colours by raw id, ignored points grey', async () => {
    await selectMode('ground truth');
    const c = await canvasColors(page);
    for (const [name, rgb] of [
      ['floor', FLOOR],
      ['wall', WALL],
      ['chair', CHAIR],
      ['table', TABLE],
      ['ignore', IGNORE],
    ] as const) {
      assert.ok(count(c, rgb) > 100, `${name} ${rgb}: ${count(c, rgb)} px`);
    }
    assert.equal(count(c, SOFA), 0, 'no gt point is a sofa');
    assert.ok(count(c, FLOOR) > count(c, CHAIR), 'the floor covers more pixels than the chair');
    const rows = await page.locator('#legend .legend-row').allInnerTexts();
    assert.deepEqual(
      rows.map((r) => r.split(/\s+/)[0]),
      ['wall', 'floor', 'chair', 'table', 'ignore'],
    );
    await page.screenshot({ path: join(shots, 'gt.png') });
  });

  test('legend: click hides a class, double-click isolates it, show all restores', async () => {
    await legendRow('chair').click();
    let c = await canvasColors(page);
    assert.equal(count(c, CHAIR), 0, 'hidden chair draws no pixel');
    assert.ok(count(c, FLOOR) > 100 && count(c, TABLE) > 100);
    assert.deepEqual(await page.evaluate(() => window.pointcontrastViewer.state.hidden), [4]);
    await legendRow('table').dblclick();
    c = await canvasColors(page);
    assert.ok(count(c, TABLE) > 100, 'isolated table is drawn');
    for (const rgb of [FLOOR, WALL, CHAIR, IGNORE])
      assert.equal(count(c, rgb), 0, `${rgb} hidden while table is isolated`);
    await page.locator('#legend .legend-all').click();
    c = await canvasColors(page);
    assert.ok(count(c, CHAIR) > 100 && count(c, FLOOR) > 100);
  });

  test('prediction and error modes', async () => {
    await selectMode('prediction');
    let c = await canvasColors(page);
    assert.ok(count(c, SOFA) > 20, 'clutter predicted as sofa');
    assert.equal(count(c, IGNORE), 0, 'predictions have no ignore label');
    assert.ok(count(c, CHAIR) > 20 && count(c, TABLE) > 20);
    const chairIoU = await legendRow('chair').locator('.iou').innerText();
    assert.ok(
      Math.abs(Number(chairIoU) - 50) < 5,
      `chair IoU ${chairIoU} (half of the chair is mispredicted)`,
    );
    await selectMode('error (correct / wrong / ignored)');
    c = await canvasColors(page);
    assert.ok(count(c, CORRECT) > 1000 && count(c, WRONG) > 50 && count(c, IGNORE) > 20);
    assert.equal(count(c, CHAIR) + count(c, TABLE) + count(c, FLOOR), 0, 'only error colours');
    await legendRow('correct').click();
    c = await canvasColors(page);
    assert.equal(count(c, CORRECT), 0, 'correct points hidden');
    assert.ok(count(c, WRONG) > 50);
    await page.screenshot({ path: join(shots, 'errors.png') });
    await legendRow('correct').click();
  });

  test('RGB, instance, confidence, height and extra scalar modes', async () => {
    await selectMode('RGB');
    let c = await canvasColors(page);
    for (const b of FIXTURE_BLOCKS) assert.ok(count(c, b.rgb) > 20, `rgb of ${b.name}`);
    await selectMode('instance');
    c = await canvasColors(page);
    for (const b of FIXTURE_BLOCKS) {
      assert.ok(
        count(c, instanceColor(b.instance)) > 20,
        `instance ${b.instance} colour = the TS hash colour`,
      );
    }
    await selectMode('confidence');
    c = await canvasColors(page);
    // the mispredicted half of the chair has confidence 0.3..0.5 (red-orange), the rest 0.6..1 (yellow-green)
    assert.ok(countWhere(c, (r, _g, b) => r >= 250 && b >= 100) > 50, 'low-confidence colours');
    assert.ok(countWhere(c, (r, g, b) => g > r && g > b) > 1000, 'high-confidence colours');
    assert.equal(await page.locator('#legend .ramp').count(), 1, 'a ramp legend');
    await selectMode('height');
    c = await canvasColors(page);
    const low = rampColor('viridis', 0);
    assert.ok(
      countWhere(c, (r, g, b) => Math.abs(r - low[0]) + Math.abs(g - low[1]) + Math.abs(b - low[2]) <= 6) >
        1000,
      'the floor at z≈0 takes the bottom colour of the ramp',
    );
    await selectMode('curvature');
    const curv = fixtureCloud(60_000).properties!.curvature;
    const [lo, hi] = [Math.min(...curv), Math.max(...curv)];
    const shown = (await page.locator('#legend .ramp-labels span').allInnerTexts()).map(Number);
    assert.ok(
      Math.abs(shown[0] - lo) <= 0.01 * lo && Math.abs(shown[1] - hi) <= 0.01 * hi,
      `range ${shown} vs ${lo}..${hi}`,
    );
    await guiControl(page, 'max').locator('input').fill('0.01');
    await guiControl(page, 'max').locator('input').press('Enter');
    assert.deepEqual(await page.evaluate(() => window.pointcontrastViewer.state.range), [lo, 0.01]);
    c = await canvasColors(page);
    const top = rampColor('viridis', 1);
    assert.ok(count(c, top) > 1000, 'values above max saturate at the top colour');
  });

  test('split view: gt left, prediction right, one camera', async () => {
    await selectMode('prediction');
    await guiControl(page, 'split: gt | pred').locator('input').check();
    const left = await canvasColors(page, 0, 0.5);
    const right = await canvasColors(page, 0.5, 1);
    assert.ok(count(left, IGNORE) > 20 && count(left, SOFA) === 0, 'left: ground truth');
    assert.ok(count(right, SOFA) > 20 && count(right, IGNORE) === 0, 'right: prediction');
    assert.ok(count(left, CHAIR) > count(right, CHAIR), 'half the chair is predicted as table');
    assert.ok(await page.locator('#split-labels').isVisible());
    await page.screenshot({ path: join(shots, 'split.png') });
    await guiControl(page, 'split: gt | pred').locator('input').uncheck();
  });

  test('picking a point shows its class, prediction and confidence', async () => {
    await selectMode('ground truth');
    await page.evaluate(() => window.pointcontrastViewer.view.renderNow());
    const chair = FIXTURE_BLOCKS[2];
    const at = await project(page, [1.75, 1.5, 0.5]);
    await page.mouse.click(at.x, at.y);
    const text = await page.locator('#pick').innerText();
    assert.match(text, /ground truth\s+chair \(4\)/);
    assert.match(text, /prediction\s+(chair \(4\)|table \(6\))/);
    assert.match(text, /confidence\s+0\.\d{3}/);
    const xyz = text
      .match(/xyz\s+([-\d.]+), ([-\d.]+), ([-\d.]+)/)!
      .slice(1)
      .map(Number);
    xyz.forEach((v, k) =>
      assert.ok(
        v >= chair.min[k] - 1e-3 && v <= chair.max[k] + 1e-3,
        `picked point inside the chair: ${xyz}`,
      ),
    );
    const empty = await page.evaluate(() => window.pointcontrastViewer.pickAt(2, 690));
    assert.equal(empty, null, 'background picks nothing');
  });

  test('boxes with score labels and a score threshold', async () => {
    await guiControl(page, 'boxes').locator('input').check();
    await guiControl(page, 'min box score').locator('input').last().fill('0.5');
    await guiControl(page, 'min box score').locator('input').last().press('Enter');
    const labels = await page.locator('.box-label').allInnerTexts();
    assert.deepEqual(labels.sort(), ['chair 0.87', 'table 0.95']);
    const c = await canvasColors(page);
    assert.ok(count(c, TABLE) > 0, 'box lines drawn in class colours');
    await page.screenshot({ path: join(shots, 'boxes.png') });
  });

  test('the URL hash reopens the same view', async () => {
    await selectMode('error (correct / wrong / ignored)');
    await legendRow('ignored').click();
    await page.waitForFunction(() => location.hash.includes('herr=2'));
    const before = await page.evaluate(() => ({
      url: location.href,
      state: window.pointcontrastViewer.state,
    }));
    const p2 = await ctx.newPage();
    watch(p2);
    await p2.goto(before.url);
    await waitLoaded(p2, 'scene_a');
    const after = await p2.evaluate(() => window.pointcontrastViewer.state);
    assert.equal(after.mode, 'error');
    assert.deepEqual(after.hiddenErrors, [2]);
    assert.equal(after.minScore, 0.5);
    after.camera!.position.forEach((v, k) =>
      assert.ok(Math.abs(v - before.state.camera!.position[k]) < 2e-3),
    );
    const c = await canvasColors(p2);
    assert.equal(count(c, IGNORE), 0, 'ignored points stay hidden after reopening');
    await p2.close();
  });

  test('screenshot button downloads a PNG', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      guiButton(page, 'screenshot (PNG)').click(),
    ]);
    const file = join(tmp, 'download.png');
    await download.saveAs(file);
    const png = readFileSync(file);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 1000, 'width');
    assert.equal(png.readUInt32BE(20), 700, 'height');
    assert.match(download.suggestedFilename(), /^scene_a-error\.png$/);
  });

  test('next scene, then a file picked from disk', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur()); // lil-gui keeps its keys
    await page.keyboard.press('n');
    await waitLoaded(page, 'scene_b');
    assert.equal(await page.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 20_000);
    const scan = fixtureCloud(5000, 9);
    delete scan.properties;
    const file = join(tmp, 'plain scan.ply');
    writeFileSync(file, writePly(scan));
    await page.setInputFiles('#file-input', file);
    await waitLoaded(page, 'plain scan.ply');
    const modes = await guiControl(page, 'colour by').locator('option').allInnerTexts();
    assert.deepEqual(modes, ['RGB', 'instance', 'height']);
    assert.equal(await page.evaluate(() => window.pointcontrastViewer.state.mode), 'rgb');
  });

  test('a truncated scene file gives a clear message, not a crash', async () => {
    const p2 = await ctx.newPage();
    watch(p2);
    await p2.goto(`${server.url}#scene=scene_c`);
    await p2.waitForFunction(() => document.getElementById('messages')?.textContent?.includes('scene_c'));
    const msg = await p2.locator('#messages').innerText();
    assert.match(msg, /scene_c: scene_c\.ply: .*(truncated|expected|bytes)/i);
    // the viewer moves on to the next scene; once it is drawn the status still names the failure
    await p2.waitForFunction(() =>
      /scene_c: could not load/.test(document.getElementById('status')?.textContent ?? ''),
    );
    assert.match(await p2.locator('#status').innerText(), /scene_c: could not load/);
    await p2.close();
  });

  const PCD = join(import.meta.dirname, '../../../shared/data/pcd');
  test('real PCL scans (LZF PCD) from a folder of scans', { skip: requireShared(PCD) }, async () => {
    const scans = await startViewServer({ root: PCD, port: 0, viewerDir });
    const p2 = await ctx.newPage();
    watch(p2);
    try {
      await p2.goto(`${scans.url}#edl=0`);
      await waitLoaded(p2, 'room_scan1');
      assert.equal(await p2.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 112_586);
      assert.deepEqual(await guiControl(p2, 'scene').locator('option').allInnerTexts(), [
        'room_scan1',
        'room_scan2',
        'test55',
      ]);
      await p2.goto(`${scans.url}#scene=test55&edl=0`);
      await waitLoaded(p2, 'test55');
      // 307,200 pixels, the NaN ones dropped: 175,178 points (shared/data/README.md)
      assert.equal(await p2.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 175_178);
      const rows = await p2.locator('#legend .legend-row').allInnerTexts();
      assert.equal(rows.length, 22, 'mOSD labels 1..7 and 20..151');
      assert.match(rows.find((r) => r.startsWith('class 90')) ?? '', /14,708/);
      assert.match(rows.find((r) => r.startsWith('class 151')) ?? '', /3,097/);
    } finally {
      await p2.close();
      await scans.close();
    }
  });

  test('no errors were logged: on a page of its own drawing a scene, and on the pages before', async () => {
    const own = await ctx.newPage();
    const ownErrors = watchErrors(own);
    try {
      await own.goto(`${server.url}#scene=scene_b&edl=0`);
      await waitLoaded(own, 'scene_b');
      assert.equal(await own.evaluate(() => window.pointcontrastViewer.lastLoad?.points), 20_000);
    } finally {
      await own.close();
    }
    assert.deepEqual(ownErrors, []);
    assert.deepEqual(problems, []);
  });
});
