/**
 * In-browser segmentation benchmark: segments one scan with one checkpoint in headless chromium on
 * each requested tfjs backend (through the viewer's "Segment a file…" worker) and in Node on the
 * active backend, timing the network (first run with warm-up, then the median of the rest), and
 * checks that every browser backend agrees with Node per point. The page is cross-origin isolated
 * (the `view` server's headers), so wasm is measured twice: 1 thread (`?threads=1`, what a page
 * without isolation gets) and one thread per core. With webgpu in the list chromium gets a
 * software WebGPU adapter (SwiftShader), marked as such in the row. With the complement rule both
 * places run the fine-tuned network and its init (the Node time then covers the rule's second
 * network pass as the page's does).
 */
import { basename } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { readPointCloud } from '../data/io/read-cloud.js';
import { loadModel } from '../train/load-model.js';
import { modelInference, predictScene } from '../tasks/segment/infer.js';
import { complementFromCheckpoint, complementScene } from '../tasks/segment/complement-setup.js';
import { backendInfo } from '../backend/select.js';
import { hostBackend } from '../sparse/host-backend.js';
import { launchChromium, WEBGPU_SOFTWARE_ARGS } from '../serve/chromium.js';
import { DEFAULT_VIEWER_DIR, startViewServer } from '../serve/server.js';

/** Options of {@link benchmarkSegmentation}. */
export interface SegmentBenchOptions {
  checkpoint: string;
  input: string;
  /** Browser backends to time (each in a fresh tab). */
  backends: string[];
  /** Network runs per backend (≥ 2: the first includes warm-up). */
  runs: number;
  viewerDir?: string;
  chromium?: string;
  /**
   * The complement rule in both places (`view --complement`, `predict --complement`): true for
   * the init the checkpoint was fine-tuned from, or the init's folder.
   */
  complement?: string | true;
  onProgress?: (done: number, total: number) => void;
}

/** Timings of one place the network ran (ms). */
export interface SegmentBenchRow {
  where: 'browser' | 'node';
  backend: string;
  /** wasm threads (Node, browser); 1 for cpu; absent on GPU backends. */
  threads?: number;
  /** What it ran on, as the page reports it ("2 threads, conv kernels on 2", the adapter or renderer). */
  device?: string;
  /** A GPU backend on a software device (SwiftShader, llvmpipe): a CPU emulating the GPU. */
  software?: boolean;
  points: number;
  voxels: number;
  firstRunMs: number;
  /** Median of the runs after the first. */
  warmMs: number;
  msPer100kPoints: number;
  /** Share of points whose label equals Node's (browser rows). */
  agreement?: number;
  /** Downloading the weights and building the network (browser rows). */
  modelLoadMs?: number;
  /** Row gathers/scatters: the engine's WebAssembly SIMD kernels, JS loops, or tf ops (GPU). */
  rowOps: string;
}

/** The benchmark's result. */
export interface SegmentBenchResult {
  bench: 'segment';
  input: string;
  checkpoint: string;
  /** With --complement: the init that answers for the absent classes, and those classes. */
  complement?: { init: string; absent: string[] };
  userAgent: string;
  rows: SegmentBenchRow[];
  /** Backends that could not run, with the reason. */
  failed: { backend: string; error: string }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/** The part of the viewer's test handle (window.pointcontrastViewer) the benchmark uses. */
interface SegmentHandle {
  segmenter: {
    manifest: unknown;
    info: { loadMs: number; rowOps: string; device: string; threads: number | null } | null;
    segment(file: File, runs?: number): Promise<void>;
    last: { voxels: number; backend: string; pred: Int32Array; timings: { runs: number[] } } | null;
  };
  errors: string[];
}

/** Runs the benchmark (needs a built viewer, chromium, and an initialised Node backend). */
export async function benchmarkSegmentation(opts: SegmentBenchOptions): Promise<SegmentBenchResult> {
  if (opts.runs < 2) throw new Error(`--runs: at least 2 (the first includes warm-up), got ${opts.runs}`);
  const total = opts.backends.length + (opts.backends.includes('wasm') ? 2 : 1);
  const model = loadModel(opts.checkpoint);
  const cloud = readPointCloud(opts.input);
  const n = cloud.positions.length / 3;
  const o = modelInference(model);
  const setup = opts.complement
    ? complementFromCheckpoint(model, {
        init: opts.complement === true ? undefined : opts.complement,
      })
    : undefined;
  const times: number[] = [];
  let nodePred: Int32Array = new Int32Array(0);
  // the voxel count is the fine-tuned network's input; with the rule it is read outside the timing
  let voxels = setup ? predictScene(model.net, cloud, o).voxelPred.length : 0;
  for (let r = 0; r < opts.runs; r++) {
    const t0 = performance.now();
    if (setup) nodePred = complementScene(model, setup, cloud).pred;
    else {
      const p = predictScene(model.net, cloud, o);
      nodePred = p.pred;
      voxels = p.voxelPred.length;
    }
    times.push(performance.now() - t0);
  }
  model.net.params.dispose();
  setup?.init.net.params.dispose();
  const warm = median(times.slice(1));
  const rows: SegmentBenchRow[] = [
    {
      where: 'node',
      backend: tf.getBackend(),
      threads: backendInfo().threads,
      points: n,
      voxels,
      firstRunMs: times[0],
      warmMs: warm,
      msPer100kPoints: (warm * 1e5) / n,
      rowOps: hostBackend()?.rowOps ?? 'tf-ops',
    },
  ];
  opts.onProgress?.(1, total);
  const failed: SegmentBenchResult['failed'] = [];
  const server = await startViewServer({
    root: opts.input,
    checkpoint: opts.checkpoint,
    complement: opts.complement,
    port: 0,
    viewerDir: opts.viewerDir ?? DEFAULT_VIEWER_DIR,
  });
  const ctx = await launchChromium({
    executablePath: opts.chromium,
    extraArgs: opts.backends.includes('webgpu') ? WEBGPU_SOFTWARE_ARGS : [],
  });
  let userAgent = '';
  // wasm twice: one thread, then every core (the page is cross-origin isolated)
  const cases = opts.backends.flatMap((b) =>
    b === 'wasm'
      ? [
          { backend: b, query: '&threads=1' },
          { backend: b, query: '' },
        ]
      : [{ backend: b, query: '' }],
  );
  try {
    for (const [i, { backend, query }] of cases.entries()) {
      const page = await ctx.newPage();
      try {
        // generous hang guards: a shared machine can take minutes to load a page
        await page.goto(`${server.url}?backend=${backend}&maxPoints=${Math.max(n, 1)}${query}`, {
          timeout: 180_000,
        });
        userAgent = await page.evaluate(() => navigator.userAgent);
        await page.waitForFunction(
          () =>
            (window as unknown as { pointcontrastViewer: SegmentHandle }).pointcontrastViewer.segmenter
              .manifest,
          null,
          { timeout: 180_000 },
        );
        const url = `data/${encodeURIComponent(basename(opts.input))}`;
        const r = await page.evaluate(
          async ([u, name, runs]) => {
            const app = (window as unknown as { pointcontrastViewer: SegmentHandle }).pointcontrastViewer;
            const file = new File([await (await fetch(u)).blob()], name);
            await app.segmenter.segment(file, runs);
            const s = app.segmenter.last;
            if (!s || s.backend === '') throw new Error(app.errors.at(-1) ?? 'no result');
            return {
              backend: s.backend,
              voxels: s.voxels,
              runs: s.timings.runs,
              pred: Array.from(s.pred),
              loadMs: app.segmenter.info?.loadMs ?? 0,
              rowOps: app.segmenter.info?.rowOps ?? '?',
              device: app.segmenter.info?.device ?? '',
              threads: app.segmenter.info?.threads ?? null,
            };
          },
          [url, basename(opts.input), opts.runs] as const,
        );
        if (r.backend !== backend) throw new Error(`asked for ${backend}, ran on ${r.backend}`);
        let same = 0;
        for (let j = 0; j < n; j++) if (r.pred[j] === nodePred[j]) same++;
        const w = median(r.runs.slice(1));
        rows.push({
          where: 'browser',
          backend,
          ...(r.threads === null ? {} : { threads: r.threads }),
          device: r.device,
          ...(backend === 'webgpu' || backend === 'webgl'
            ? { software: r.device.endsWith('(software)') }
            : {}),
          points: n,
          voxels: r.voxels,
          firstRunMs: r.runs[0],
          warmMs: w,
          msPer100kPoints: (w * 1e5) / n,
          agreement: same / n,
          modelLoadMs: r.loadMs,
          rowOps: r.rowOps,
        });
      } catch (e) {
        failed.push({ backend: `${backend}${query}`, error: (e as Error).message.split('\n')[0] });
      } finally {
        await page.close();
      }
      opts.onProgress?.(i + 2, total);
    }
  } finally {
    await ctx.close();
    await server.close();
  }
  return {
    bench: 'segment',
    input: opts.input,
    checkpoint: model.dir,
    ...(setup
      ? { complement: { init: setup.init.dir, absent: setup.absent.map((c) => model.classes[c].name) } }
      : {}),
    userAgent,
    rows,
    failed,
  };
}
