/**
 * In-browser segmentation on every backend headless chromium offers here, against `predict`:
 * webgpu on a software adapter (SwiftShader Vulkan via Dawn), wasm with threads (the `view`
 * server makes the page cross-origin isolated), the labels downloaded from the page as PLY, and
 * the result check: a zeroed output (?simulateFailure=, what tfjs webgpu's synchronous read once
 * returned) is a failure naming the backend, and `auto` moves on to the next one.
 * (cpu and webgl are in segment.test.ts.)
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { startViewServer, type ViewServer } from '../../src/serve/server.js';
import { launchChromium, WEBGPU_SOFTWARE_ARGS } from '../../src/serve/chromium.js';
import { parsePointCloud } from '../../src/data/formats/index.js';
import { SKIP_BROWSER, buildViewer, waitLoaded } from './browser-helpers.js';
import { requirement } from '../../test/helpers/requires.js';
import { SCAN, SKIP_DATA, agreement, makeSegmentFixture, type SegmentFixture } from './segment-fixture.js';

const SKIP = SKIP_BROWSER || SKIP_DATA;

/** The header lines of a PLY without its comments (format, elements, properties). */
function plyLayout(bytes: Uint8Array): string[] {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  return text
    .slice(0, text.indexOf('end_header'))
    .split('\n')
    .filter((l) => l && !l.startsWith('comment'));
}

describe(
  'in-browser segmentation on webgpu, threaded wasm, with download and result check',
  { skip: SKIP, timeout: 900_000 },
  () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pc-segment-backends-'));
    let fx: SegmentFixture;
    let server: ViewServer;
    let ctx: BrowserContext;
    let adapter = false;

    before(async () => {
      fx = makeSegmentFixture(tmp);
      server = await startViewServer({ root: fx.run, port: 0, viewerDir: await buildViewer() });
      ctx = await launchChromium({ extraArgs: WEBGPU_SOFTWARE_ARGS });
      const page = await ctx.newPage();
      await page.goto(server.url);
      adapter = await page.evaluate(async () => {
        const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
        return !!(gpu && (await gpu.requestAdapter()));
      });
      await page.close();
    });
    after(async () => {
      await ctx?.close();
      await server?.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    /** Opens the viewer with `query`; page errors and console errors are collected in `problems`. */
    const open = async (query: string, problems: string[]): Promise<Page> => {
      const page = await ctx.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(`${server.url}?${query}#edl=0&size=2`);
      await page.waitForFunction(() => window.pointcontrastViewer.segmenter.manifest !== null, null, {
        timeout: 20_000,
      });
      return page;
    };

    const result = (page: Page) =>
      page.evaluate(() => {
        const s = window.pointcontrastViewer.segmenter;
        return {
          pred: s.last ? Array.from(s.last.pred) : [],
          backend: s.last?.backend,
          info: s.info && { backend: s.info.backend, device: s.info.device, skipped: s.info.skipped },
          box: document.getElementById('segment')!.innerText,
          isolated: self.crossOriginIsolated,
          cores: navigator.hardwareConcurrency,
        };
      });

    /** Segments `file` and waits for its scene, or fails at once with the page's message. */
    const segmentFile = async (
      page: Page,
      file: string,
      scene = `${basename(file)} (segmented)`,
    ): Promise<void> => {
      const before = await page.evaluate(() => window.pointcontrastViewer.errors.length);
      await page.setInputFiles('#segment-input', file);
      await page.waitForFunction(
        ([s, n]) => document.body.dataset.loaded === s || window.pointcontrastViewer.errors.length > n,
        [scene, before] as const,
        { timeout: 600_000, polling: 250 },
      );
      const errors = await page.evaluate(() => window.pointcontrastViewer.errors);
      assert.deepEqual(errors.slice(before), [], `${basename(file)} not segmented`);
      await waitLoaded(page, scene);
    };

    test('webgpu (software adapter) labels the 10k-point subset like predict (≥ 99.9 %), twice in one page', async (t) => {
      const noAdapter = requirement(
        adapter,
        'this chromium offers no WebGPU adapter with the SwiftShader flags',
      );
      if (noAdapter) return t.skip(noAdapter);
      const problems: string[] = [];
      const page = await open('backend=webgpu', problems);
      await segmentFile(page, fx.subset);
      const r = await result(page);
      // a second file in the same page: the device is still usable and gives the same labels
      await segmentFile(page, fx.subset, `${basename(fx.subset)} (segmented) (2)`);
      const again = await result(page);
      await page.close();
      assert.equal(r.backend, 'webgpu');
      assert.equal(again.backend, 'webgpu');
      assert.deepEqual(again.pred, r.pred, 'the second run gives the same labels');
      assert.match(r.info!.device, /\(software\)$/, 'the adapter is reported as software');
      const agree = agreement(r.pred, fx.predicted.get(fx.subset)!.properties!.pred);
      console.log(`# webgpu: ${(100 * agree).toFixed(3)} % of ${r.pred.length} points agree with predict`);
      assert.ok(agree >= 0.999, `webgpu: ${(100 * agree).toFixed(3)} % agree`);
      assert.match(
        r.box,
        /segmented on webgpu in [\d.]+ s total \(model load [\d.]+ s, parsing [\d.]+ s, network [\d.]+ s\)/,
      );
      assert.deepEqual(problems, []);
    });

    test("threaded wasm (cross-origin isolated) labels the scan like predict; Download labels is predict's PLY", async () => {
      const problems: string[] = [];
      const page = await open('backend=wasm', problems);
      await segmentFile(page, SCAN);
      const r = await result(page);
      assert.equal(r.isolated, true, 'view serves the page cross-origin isolated');
      assert.equal(r.backend, 'wasm');
      const threads = Math.max(1, r.cores);
      // tfjs's pool and the engine's conv kernels both on every core
      assert.equal(
        r.info!.device,
        threads === 1 ? '1 thread' : `${threads} threads, conv kernels on ${threads}`,
      );
      const want = fx.predicted.get(SCAN)!;
      const agree = agreement(r.pred, want.properties!.pred);
      console.log(
        `# wasm ×${threads} threads: ${(100 * agree).toFixed(3)} % of ${r.pred.length} points agree with predict`,
      );
      assert.ok(agree >= 0.999, `wasm: ${(100 * agree).toFixed(3)} % agree`);
      assert.match(
        r.box,
        /80,583 points, [\d,]+ voxels segmented on wasm in [\d.]+ s total \(model load [\d.]+ s, parsing [\d.]+ s, network [\d.]+ s\) \(wasm: \d+ threads?(, conv kernels on \d+)?; Res16UNet/,
      );
      // Download labels: the same file predict writes, label for label
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#segment-download')]);
      assert.equal(download.suggestedFilename(), 'scene0000_01_vh_clean_2-segmented.ply');
      const bytes = readFileSync(await download.path());
      const predicted = readFileSync(join(tmp, 'pred', fx.files[0]));
      assert.equal(fx.files[0], 'scene0000_01_vh_clean_2.ply', "predict keeps the input's name");
      assert.deepEqual(plyLayout(bytes), plyLayout(predicted));
      const got = parsePointCloud(bytes, download.suggestedFilename());
      assert.deepEqual(got.positions, want.positions);
      assert.deepEqual(got.colors, want.colors);
      const gp = got.properties!.pred;
      const wp = want.properties!.pred;
      let same = 0;
      for (let i = 0; i < wp.length; i++) if (gp[i] === wp[i]) same++;
      assert.equal(same, wp.length, `pred equal on ${same} of ${wp.length} points`);
      const gc = got.properties!.confidence;
      const wc = want.properties!.confidence;
      let worst = 0;
      for (let i = 0; i < wc.length; i++) worst = Math.max(worst, Math.abs(gc[i] - wc[i]));
      assert.ok(worst < 1e-4, `confidence differs by up to ${worst}`);
      await page.close();
      assert.deepEqual(problems, []);
    });

    test('a zeroed output is a failure naming the backend; nothing is shown', async () => {
      const problems: string[] = [];
      const page = await open('backend=wasm&simulateFailure=wasm', problems);
      await page.setInputFiles('#segment-input', fx.subset);
      // the failure message, or (wrongly) a drawn result: either ends the wait
      await page.waitForFunction(
        () =>
          document.getElementById('messages')?.textContent?.includes('failed') ||
          document.body.dataset.loaded?.endsWith('(segmented)'),
        null,
        {
          timeout: 300_000,
        },
      );
      const messages = await page.locator('#messages').innerText();
      assert.match(
        messages,
        /scene0000_01_every8th\.ply: segmentation failed on wasm: degenerate output: confidence 0 for 10,073 of 10,073 points/,
      );
      assert.equal(await page.evaluate(() => window.pointcontrastViewer.segmenter.last), null);
      assert.match(await page.locator('#segment').innerText(), /not segmented/);
      assert.equal(await page.locator('#segment-download').isVisible(), false);
      await page.close();
      assert.deepEqual(problems, []);
    });

    test('auto moves on to the next backend after a failed result check and says why', async () => {
      const problems: string[] = [];
      // auto skips a software WebGPU adapter (the only kind here) and tries wasm first
      const [first, next] = ['wasm', 'cpu'];
      const page = await open(`simulateFailure=${first}`, problems);
      await segmentFile(page, fx.subset);
      const r = await result(page);
      await page.close();
      assert.equal(r.backend, next);
      assert.ok(
        r.info!.skipped.some((s) => s.startsWith(`${first}: degenerate output: confidence 0`)),
        r.info!.skipped.join('; '),
      );
      assert.match(r.box, new RegExp(`segmented on ${next} in`));
      assert.match(r.box, new RegExp(`skipped: .*${first}: degenerate output`));
      if (adapter)
        assert.ok(
          r.info!.skipped.some((s) =>
            /^webgpu: software adapter \(.*swiftshader.*\(software\)\); wasm is faster$/i.test(s),
          ),
          r.info!.skipped.join('; '),
        );
      const agree = agreement(r.pred, fx.predicted.get(fx.subset)!.properties!.pred);
      assert.ok(agree >= 0.999, `${next} after ${first}: ${(100 * agree).toFixed(3)} % agree`);
      assert.deepEqual(problems, []);
    });
  },
);
