/**
 * In-browser segmentation (issue 15) in Debian chromium: a tiny segmentation checkpoint is trained
 * here on ../shared/data ScanNet (scene0000_00, 3 steps), `predict` labels scene0000_01 in Node, and
 * the page segments the same file on each backend headless chromium offers; per-point labels must
 * agree on ≥ 99.9 % of points. Also: the `export` folder from a plain static server with a
 * dropped file, and bad input (not a point cloud, above the point limit, no colour for a colour
 * model) ending as a message naming the file, with no page error.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, normalize } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startViewServer, type ViewServer } from '../../src/serve/server.js';
import { parsePointCloud, writePly } from '../../src/data/formats/index.js';
import {
  SKIP_BROWSER,
  buildViewer,
  canvasColors,
  count,
  launch,
  waitLoaded,
  watchErrors,
} from './browser-helpers.js';
import { requireShared } from '../../test/helpers/requires.js';
import { trainFixtureCheckpoint } from './segment-fixture.js';
import { useBackend } from '../../test/helpers/backends.js';
import { loadModel } from '../../src/train/load-model.js';
import { modelInference, pointProbabilities, predictScene } from '../../src/tasks/segment/infer.js';
import { complementResult } from '../../src/tasks/segment/complement.js';
import type { WebModelManifest } from '../../src/models/web-model-manifest.js';
import { benchmarkSegmentation } from '../../src/bench/segment.js';
import { initBackend } from '../../src/backend/select.js';
import { cliOk as cli } from '../../test/helpers/cli.js';

const SHARED = join(import.meta.dirname, '../../../shared/data/scannet');
const SCAN = join(SHARED, 'scans/scene0000_01/scene0000_01_vh_clean_2.ply');
const SKIP = SKIP_BROWSER || requireShared(SCAN);
const SEGMENTED = 'scene0000_01_vh_clean_2.ply (segmented)';

/** A static file server (no API, no /model/ route): what `export` output is meant for. */
function staticServer(routes: Record<string, string>): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    for (const [prefix, dir] of Object.entries(routes)) {
      if (!path.startsWith(prefix)) continue;
      const rel = normalize(path.slice(prefix.length) || 'index.html');
      const file = join(dir, rel.endsWith('/') ? `${rel}index.html` : rel);
      if (rel.startsWith('..') || !existsSync(file) || !statSync(file).isFile()) break;
      res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
      res.end(readFileSync(file));
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${addr.port}/` });
    }),
  );
}

describe('in-browser segmentation', { skip: SKIP, timeout: 600_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'pc-segment-'));
  const run = join(tmp, 'run');
  const exported = join(tmp, 'export');
  const subset = join(tmp, 'scene0000_01_every8th.ply');
  /** predict's labels per file. */
  const expected = new Map<string, Int16Array>();
  let server: ViewServer;
  let viewerDir: string;
  let ctx: BrowserContext;
  const problems: string[] = [];

  before(async () => {
    trainFixtureCheckpoint(tmp, run);
    // SwiftShader WebGL (no GPU) and the pure-JS cpu backend take 15–60× wasm's time: they
    // segment every 8th point of the scan (10k points), wasm the whole scan
    const full = parsePointCloud(readFileSync(SCAN), SCAN);
    const keep = Array.from({ length: Math.ceil(full.positions.length / 24) }, (_, i) => i * 8);
    writeFileSync(
      subset,
      writePly({
        positions: Float32Array.from(keep.flatMap((i) => [...full.positions.subarray(i * 3, i * 3 + 3)])),
        colors: Uint8Array.from(keep.flatMap((i) => [...full.colors!.subarray(i * 3, i * 3 + 3)])),
      }),
    );
    cli(
      'predict',
      '--checkpoint',
      run,
      '--input',
      SCAN,
      '--input',
      subset,
      '--out',
      join(tmp, 'pred'),
      '--json',
    );
    const index = JSON.parse(readFileSync(join(tmp, 'pred', 'index.json'), 'utf8')) as {
      scenes: { file: string }[];
    };
    [SCAN, subset].forEach((file, i) => {
      const pc = parsePointCloud(readFileSync(join(tmp, 'pred', index.scenes[i].file)), 'pred.ply');
      expected.set(basename(file), pc.properties!.pred as Int16Array);
    });
    cli('export', '--checkpoint', run, '--out', exported, '--json');
    viewerDir = await buildViewer();
    server = await startViewServer({ root: run, port: 0, viewerDir });
    ctx = await launch();
  });
  after(async () => {
    await ctx?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the viewer and waits for the model manifest; `watchConsole` false on a static server (its /api/ 404s are logged). */
  const open = async (url: string, watchConsole = true): Promise<Page> => {
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && watchConsole) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.pointcontrastViewer.segmenter.manifest !== null, null, {
      timeout: 20_000,
    });
    return page;
  };

  /** Labels of the last segmentation in file order, and its backend. */
  const lastSegment = (page: Page) =>
    page.evaluate(() => {
      const s = window.pointcontrastViewer.segmenter.last;
      return s && { backend: s.backend, pred: Array.from(s.pred), voxels: s.voxels };
    });

  const agreement = (pred: number[], file = basename(SCAN)): number => {
    const want = expected.get(file)!;
    assert.equal(pred.length, want.length, 'one label per point of the file');
    let same = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === want[i]) same++;
    return same / pred.length;
  };

  /** Pixels drawn in the colours of the model's classes. */
  const classPixels = async (page: Page): Promise<number> => {
    const colours = await page.evaluate(
      () => window.pointcontrastViewer.segmenter.manifest?.classes.map((c) => c.color ?? []) ?? [],
    );
    const c = await canvasColors(page);
    return colours.reduce((s, rgb) => s + count(c, rgb), 0);
  };

  for (const [backend, file] of [
    ['wasm', SCAN],
    ['webgl', subset],
    ['cpu', subset],
  ] as const) {
    test(`segments ${basename(file)} on ${backend} like predict (≥ 99.9 % of points)`, async () => {
      const page = await open(`${server.url}?backend=${backend}#edl=0&size=2`);
      try {
        await page.setInputFiles('#segment-input', file);
        await waitLoaded(page, `${basename(file)} (segmented)`, 300_000);
        const seg = await lastSegment(page);
        assert.equal(seg?.backend, backend);
        const agree = agreement(seg!.pred, basename(file));
        console.log(
          `# ${backend}: ${(100 * agree).toFixed(3)} % of ${seg!.pred.length} points agree with predict`,
        );
        assert.ok(agree >= 0.999, `${backend}: ${(100 * agree).toFixed(3)} % agree`);
        assert.equal(await page.evaluate(() => window.pointcontrastViewer.state.mode), 'pred');
        assert.ok((await classPixels(page)) > 2000, 'drawn in the class colours');
        const points = expected.get(basename(file))!.length.toLocaleString('en-US');
        assert.match(
          await page.locator('#segment').innerText(),
          new RegExp(`${points} points, [\\d,]+ voxels segmented on ${backend} in`),
        );
      } finally {
        await page.close();
      }
    });
  }

  test('auto picks a backend that initialises and says which and why not the others', async () => {
    const page = await open(server.url);
    await page.setInputFiles('#segment-input', SCAN);
    await waitLoaded(page, SEGMENTED, 300_000);
    const info = await page.evaluate(() => window.pointcontrastViewer.segmenter.info);
    assert.ok(info && ['webgpu', 'webgl', 'wasm'].includes(info.backend), JSON.stringify(info));
    assert.ok(
      info!.skipped.some((s) => s.startsWith('webgpu:')),
      info!.skipped.join('; '),
    );
    assert.match(await page.locator('#segment').innerText(), new RegExp(`segmented on ${info!.backend}`));
    await page.close();
  });

  test('an exported model from a plain static server, with a dropped file', async () => {
    const { server: st, url } = await staticServer({ '/model/': exported, '/': viewerDir });
    try {
      const page = await open(`${url}?model=${encodeURIComponent(`${url}model/`)}&backend=wasm#edl=0`, false);
      const bytes = readFileSync(SCAN).toString('base64');
      const dt = await page.evaluateHandle((b64) => {
        const raw = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
        const d = new DataTransfer();
        d.items.add(new File([raw], 'scene0000_01_vh_clean_2.ply'));
        return d;
      }, bytes);
      await page.dispatchEvent('body', 'dragover', { dataTransfer: dt });
      assert.equal(await page.locator('#drop-segment').isVisible(), true, 'segment drop zone shown');
      const box = (await page.locator('#drop-segment').boundingBox())!;
      await page.dispatchEvent('#viewport canvas', 'drop', {
        dataTransfer: dt,
        clientX: box.x + box.width / 2,
        clientY: box.y + box.height / 2,
      });
      await waitLoaded(page, SEGMENTED, 300_000);
      const seg = await lastSegment(page);
      assert.ok(agreement(seg!.pred) >= 0.999);
      await page.close();
    } finally {
      st.close();
    }
  });

  test('the complement rule in the page: the exported rule, applied as in Node; view --complement serves the same', async () => {
    // an init that knows wall and floor (30 steps), and a network whose training labels lack them
    const init = join(tmp, 'init');
    const ruled = join(tmp, 'ruled');
    const fixture = new URL('../../configs/finetune/scannet-fixture.yaml', import.meta.url).pathname;
    const train = (out: string, steps: number, ...set: string[]) =>
      cli(
        'finetune',
        'seg',
        '--config',
        fixture,
        '--data',
        join(tmp, 'prep'),
        '--out',
        out,
        '--max-steps',
        String(steps),
        '--set',
        'data.loader.workers=0',
        ...set,
        '--json',
      );
    train(init, 30);
    train(ruled, 3, '--set', 'data.ignoreClasses=[wall,floor]');
    const out = join(tmp, 'export-complement');
    cli('export', '--checkpoint', ruled, '--complement', join(init, 'last'), '--out', out, '--json');
    const manifestFile = join(out, 'manifest.json');
    const calibrated = JSON.parse(readFileSync(manifestFile, 'utf8')) as WebModelManifest;
    const rule = calibrated.complement!;
    assert.deepEqual(rule.absent, [0, 1, 4, 9, 10, 15, 18]);
    assert.equal(rule.source, 'init/last');
    // view --complement calibrates the same rule and serves the init beside the model
    await useBackend('wasm');
    const viewed = await startViewServer({ root: ruled, port: 0, viewerDir, complement: join(init, 'last') });
    try {
      const get = async (path: string) =>
        Buffer.from(await (await fetch(`${viewed.url}model/${path}`)).arrayBuffer());
      assert.deepEqual(JSON.parse((await get('manifest.json')).toString()).complement, rule);
      for (const file of ['manifest.json', 'model.json'])
        assert.deepEqual(
          JSON.parse((await get(`complement/${file}`)).toString()),
          JSON.parse(readFileSync(join(out, 'complement', file), 'utf8')),
          file,
        );
      assert.ok(
        (await get('complement/weights.bin')).equals(readFileSync(join(out, 'complement', 'weights.bin'))),
      );
    } finally {
      await viewed.close();
    }
    // the page applies the manifest's values: with every threshold 0 the init answers wherever it
    // says an absent class, and the oracle is the same rule on Node's probabilities of both networks
    const values = { ...rule, thresholds: rule.thresholds.map(() => 0), minShare: 0 };
    writeFileSync(manifestFile, JSON.stringify({ ...calibrated, complement: values }));
    const cloud = parsePointCloud(readFileSync(subset), subset);
    const [own, answer] = [out, join(out, 'complement')].map((dir) => {
      const m = loadModel(dir);
      const p = pointProbabilities(m.net, cloud, modelInference(m));
      m.net.params.dispose();
      return p;
    });
    const k = calibrated.classes.length;
    const want = complementResult(own, answer, k, values).pred;
    const ownNet = loadModel(out);
    const plain = predictScene(ownNet.net, cloud, modelInference(ownNet)).pred;
    ownNet.net.params.dispose();
    const share = (pred: ArrayLike<number>) => {
      let same = 0;
      for (let i = 0; i < want.length; i++) if (pred[i] === want[i]) same++;
      return same / want.length;
    };
    assert.ok(share(plain) < 0.9, `the rule must change points: ${share(plain)} unchanged`);
    const { server: st, url } = await staticServer({ '/model/': out, '/': viewerDir });
    try {
      const page = await open(`${url}?model=${encodeURIComponent(`${url}model/`)}&backend=wasm#edl=0`, false);
      await page.setInputFiles('#segment-input', subset);
      await waitLoaded(page, `${basename(subset)} (segmented)`, 300_000);
      const seg = (await lastSegment(page))!;
      console.log(
        `# complement in the page: ${(100 * share(seg.pred)).toFixed(3)} % agree, plain ${(100 * share(plain)).toFixed(1)} %`,
      );
      assert.ok(share(seg.pred) >= 0.999, `${share(seg.pred)} agree`);
      assert.match(
        await page.locator('#segment').innerText(),
        /complement rule: wall, floor, chair, bookshelf, picture, shower curtain, bathtub from init\/last/,
      );
      await page.close();
    } finally {
      st.close();
    }
    // bench segment --complement: the calibrated rule timed in Node and in the page, labels compared
    await initBackend({ backend: 'wasm' }); // as the CLI does (the bench reports its threads)
    const bench = await benchmarkSegmentation({
      checkpoint: ruled,
      input: subset,
      backends: ['wasm'],
      runs: 2,
      viewerDir,
      complement: join(init, 'last'),
    });
    assert.deepEqual(bench.failed, []);
    assert.deepEqual(bench.complement?.absent, [
      'wall',
      'floor',
      'chair',
      'bookshelf',
      'picture',
      'shower curtain',
      'bathtub',
    ]);
    assert.deepEqual(
      bench.rows.map((r) => [r.where, r.backend, r.points]),
      [
        ['node', 'wasm', want.length],
        ['browser', 'wasm', want.length],
        ['browser', 'wasm', want.length],
      ],
    );
    for (const r of bench.rows.filter((x) => x.where === 'browser'))
      assert.ok(r.agreement! >= 0.999, `bench segment --complement: ${r.agreement} equal to Node's rule`);
    // and without the rule: the fine-tuned network alone in both places, labels compared
    const unruled = await benchmarkSegmentation({
      checkpoint: ruled,
      input: subset,
      backends: ['wasm'],
      runs: 2,
      viewerDir,
    });
    assert.deepEqual(unruled.failed, []);
    assert.equal(unruled.complement, undefined);
    assert.deepEqual(
      unruled.rows.map((r) => [r.where, r.backend, r.points]),
      bench.rows.map((r) => [r.where, r.backend, r.points]),
    );
    for (const r of unruled.rows.filter((x) => x.where === 'browser'))
      assert.ok(r.agreement! >= 0.999, `bench segment: ${r.agreement} equal to Node's labels`);
  });

  test('bad input: a clear message naming the file, nothing crashes', async () => {
    const garbage = join(tmp, 'notes.ply');
    writeFileSync(garbage, 'these are my notes, not a point cloud\n');
    const grey = join(tmp, 'no-colour.ply');
    const scan = parsePointCloud(readFileSync(SCAN), SCAN);
    writeFileSync(grey, writePly({ positions: scan.positions }));
    const page = await open(`${server.url}?backend=wasm&maxPoints=50000#edl=0`);
    const messages = () => page.locator('#messages').innerText();
    await page.setInputFiles('#segment-input', garbage);
    await page.waitForFunction(() => document.getElementById('messages')?.textContent?.includes('notes.ply'));
    assert.match(await messages(), /notes\.ply: .*(ply|header|format)/i);
    await page.setInputFiles('#segment-input', SCAN);
    await page.waitForFunction(() => document.getElementById('messages')?.textContent?.includes('limit'));
    assert.match(
      await messages(),
      /scene0000_01_vh_clean_2\.ply: 80,583 points, above the limit of 50,000 for in-browser segmentation/,
    );
    const page2 = await open(`${server.url}?backend=wasm#edl=0`);
    await page2.setInputFiles('#segment-input', grey);
    await page2.waitForFunction(() => document.getElementById('messages')?.textContent?.includes('colour'));
    assert.match(
      await page2.locator('#messages').innerText(),
      /no-colour\.ply: the model takes 'ones-rgb' input features but the file has no colour/,
    );
    // still usable: a good file segments after the failures
    await page2.setInputFiles('#segment-input', SCAN);
    await waitLoaded(page2, SEGMENTED, 300_000);
    assert.match(
      await page2.locator('#segment').innerText(),
      /80,583 points, [\d,]+ voxels segmented on wasm in/,
    );
    await page.close();
    await page2.close();
  });

  test('without a model the button says how to get one', async () => {
    const scans = await startViewServer({ root: join(SHARED, 'scans'), port: 0, viewerDir });
    try {
      const page = await ctx.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(`${scans.url}#edl=0`);
      await waitLoaded(page, 'scene0000_00/scene0000_00_vh_clean_2.labels');
      await page.locator('.lil-controller button', { hasText: 'Segment a file…' }).click();
      await page.waitForFunction(() =>
        document.getElementById('messages')?.textContent?.includes('no segmentation model'),
      );
      assert.match(await page.locator('#messages').innerText(), /pointcontrast view <segmentation run>/);
      await page.close();
    } finally {
      await scans.close();
    }
  });

  test('no console errors or page errors: on a page of its own with the model loaded, and before', async () => {
    const own = await ctx.newPage();
    const ownErrors = watchErrors(own);
    try {
      await own.goto(`${server.url}?backend=wasm#edl=0`);
      await own.waitForFunction(() => window.pointcontrastViewer.segmenter.manifest !== null, null, {
        timeout: 20_000,
      });
    } finally {
      await own.close();
    }
    assert.deepEqual(ownErrors, []);
    assert.deepEqual(problems, []);
  });
});
