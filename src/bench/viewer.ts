/**
 * Viewer load-time benchmark: writes fixture prediction scenes of given sizes, serves them with
 * the view server, opens each in headless chromium and times request → first frame, plus the
 * worker's fetch / parse / prepare stages and the frame time at full and interactive budget.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFixturePredictions } from '../serve/fixture-scenes.js';
import { startViewServer, DEFAULT_VIEWER_DIR } from '../serve/server.js';
import { launchChromium } from '../serve/chromium.js';

/** Options of {@link benchmarkViewerLoad}. */
export interface ViewerBenchOptions {
  /** Scene sizes in points. */
  sizes: number[];
  /** Timed loads per size (each in a fresh tab); the median is reported. */
  repeat?: number;
  viewerDir?: string;
  chromium?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Measurements for one scene size (medians over the repeats, in ms). */
export interface ViewerBenchRow {
  points: number;
  fileBytes: number;
  /** Points drawn per frame (the default point budget caps this). */
  drawn: number;
  /** Node side: page.goto() of the scene's URL → the first frame with the scene is drawn. */
  requestToFirstFrameMs: number;
  /** In the page: start of the scene load → first frame (fetch, parse, prepare, upload, draw). */
  loadToFirstFrameMs: number;
  fetchMs: number;
  parseMs: number;
  prepareMs: number;
  /** One full frame (EDL on) at the default budget, GPU finished. */
  frameMs: number;
  /** One frame at the interactive budget used while the camera moves. */
  interactiveFrameMs: number;
}

/** The benchmark's result. */
export interface ViewerBenchResult {
  bench: 'viewer';
  userAgent: string;
  webglRenderer: string;
  rows: ViewerBenchRow[];
}

/** The part of the viewer's test handle (window.pointcontrastViewer) the benchmark reads. */
interface ViewerHandle {
  view: {
    renderer: { getContext(): WebGL2RenderingContext };
    renderNow(): void;
    drawCount(): number;
    settings: { budget: number };
  };
  lastLoad: { total: number; fetch: number; parse: number; prepare: number } | null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** Runs the benchmark (needs a built viewer and chromium). */
export async function benchmarkViewerLoad(opts: ViewerBenchOptions): Promise<ViewerBenchResult> {
  const repeat = opts.repeat ?? 1;
  const work = mkdtempSync(join(tmpdir(), 'pc-bench-viewer-'));
  const dir = join(work, 'predictions');
  mkdirSync(dir);
  const scenes = opts.sizes.map((points) => ({ name: `points_${points}`, points }));
  writeFixturePredictions(dir, scenes);
  const server = await startViewServer({
    root: work,
    port: 0,
    viewerDir: opts.viewerDir ?? DEFAULT_VIEWER_DIR,
  });
  const ctx = await launchChromium({ executablePath: opts.chromium, viewport: { width: 1280, height: 800 } });
  const rows: ViewerBenchRow[] = [];
  let userAgent = '';
  let webglRenderer = '';
  const total = scenes.length * repeat;
  try {
    for (const [si, scene] of scenes.entries()) {
      const runs: Omit<ViewerBenchRow, 'points' | 'fileBytes'>[] = [];
      for (let r = 0; r < repeat; r++) {
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const t0 = performance.now();
        await page.goto(`${server.url}#scene=${scene.name}`);
        await page.waitForFunction((s) => document.body.dataset.loaded === s, scene.name, {
          timeout: 600_000,
        });
        const wall = performance.now() - t0;
        if (errors.length) throw new Error(`viewer page error: ${errors[0]}`);
        // No named inner functions here: tsx would wrap them in a __name() helper the page lacks.
        const m = await page.evaluate(() => {
          const app = (window as unknown as { pointcontrastViewer: ViewerHandle }).pointcontrastViewer;
          const gl = app.view.renderer.getContext();
          const px = new Uint8Array(4);
          const budget = app.view.settings.budget;
          const times: number[] = [];
          for (const b of [budget, Math.min(budget, 1_000_000)]) {
            app.view.settings.budget = b;
            const s = performance.now();
            for (let k = 0; k < 3; k++) {
              app.view.renderNow();
              gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
            }
            times.push((performance.now() - s) / 3);
          }
          app.view.settings.budget = budget;
          const [full, interactive] = times;
          const info = gl.getExtension('WEBGL_debug_renderer_info');
          return {
            load: app.lastLoad,
            drawn: app.view.drawCount(),
            full,
            interactive,
            ua: navigator.userAgent,
            renderer: info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown',
          };
        });
        if (!m.load) throw new Error(`${scene.name}: no load record`);
        userAgent = m.ua;
        webglRenderer = m.renderer;
        runs.push({
          drawn: m.drawn,
          requestToFirstFrameMs: wall,
          loadToFirstFrameMs: m.load.total,
          fetchMs: m.load.fetch,
          parseMs: m.load.parse,
          prepareMs: m.load.prepare,
          frameMs: m.full,
          interactiveFrameMs: m.interactive,
        });
        await page.close();
        opts.onProgress?.(si * repeat + r + 1, total);
      }
      const pick = (k: keyof (typeof runs)[number]): number =>
        Math.round(median(runs.map((x) => x[k])) * 10) / 10;
      rows.push({
        points: scene.points,
        fileBytes: statSync(join(dir, `${scene.name}.ply`)).size,
        drawn: runs[0].drawn,
        requestToFirstFrameMs: pick('requestToFirstFrameMs'),
        loadToFirstFrameMs: pick('loadToFirstFrameMs'),
        fetchMs: pick('fetchMs'),
        parseMs: pick('parseMs'),
        prepareMs: pick('prepareMs'),
        frameMs: pick('frameMs'),
        interactiveFrameMs: pick('interactiveFrameMs'),
      });
    }
  } finally {
    await ctx.close();
    await server.close();
    rmSync(work, { recursive: true, force: true });
  }
  return { bench: 'viewer', userAgent, webglRenderer, rows };
}
