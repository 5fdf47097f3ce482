/**
 * Web worker that segments point clouds in the page: initialises a tfjs backend, loads the
 * exported model, and per file parses it (the shared format parsers), checks the point limit and
 * the input features, and runs the shared inference (voxelise → sparse U-Net → softmax → back
 * onto every point, src/tasks/segment/infer.ts) — the same code `pointcontrast predict` runs in Node.
 */
import { parsePointCloud } from '../../../src/data/formats/index.js';
import { missingInputs } from '../../../src/models/checkpoint-model.js';
import { predictScene } from '../../../src/tasks/segment/infer.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { cloudBuffers, toViewerCloud } from '../viewer-cloud.js';
import { initBrowserBackend } from './browser-backend.js';
import { hostBackend } from '../../../src/sparse/host-backend.js';
import { loadBrowserModel, type BrowserModel } from './load-model.js';
import type { SegmentReply, SegmentRequest } from './protocol.js';

let model: BrowserModel | null = null;
let backend = '';

function post(msg: SegmentReply, transfer: ArrayBuffer[] = []): void {
  self.postMessage(msg, { transfer });
}

/** Lets the progress message out before a long synchronous step. */
const yieldToLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function init(id: number, req: Extract<SegmentRequest, { kind: 'init' }>): Promise<void> {
  post({ id, kind: 'progress', stage: 'starting the tfjs backend' });
  const t0 = performance.now();
  const b = await initBrowserBackend(req.backend);
  backend = b.name;
  post({ id, kind: 'progress', stage: `loading the model (${backend})`, fraction: 0 });
  model = await loadBrowserModel(req.modelUrl, (f) =>
    post({ id, kind: 'progress', stage: `loading the model (${backend})`, fraction: f }),
  );
  post({
    id,
    kind: 'ready',
    info: {
      manifest: model.manifest,
      backend,
      skipped: b.skipped,
      loadMs: performance.now() - t0,
      rowOps: hostBackend()?.rowOps ?? 'tf-ops',
    },
  });
}

async function segment(id: number, req: Extract<SegmentRequest, { kind: 'segment' }>): Promise<void> {
  if (!model) throw new Error('no model loaded');
  const { fileName } = req;
  post({ id, kind: 'progress', stage: 'parsing' });
  const t0 = performance.now();
  const parsed = parsePointCloud(req.buffer, fileName);
  const n = parsed.positions.length / 3;
  if (n === 0) throw new Error(`${fileName}: no points`);
  if (n > req.maxPoints) {
    throw new Error(
      `${fileName}: ${n.toLocaleString('en-US')} points, above the limit of ${req.maxPoints.toLocaleString('en-US')} for in-browser segmentation (raise it with ?maxPoints=N, or use pointcontrast predict)`,
    );
  }
  const missing = missingInputs(model.spec.features, parsed, fileName);
  if (missing) throw new Error(missing);
  const t1 = performance.now();
  post({ id, kind: 'progress', stage: `segmenting ${n.toLocaleString('en-US')} points on ${backend}` });
  await yieldToLoop();
  const runs: number[] = [];
  let p: ReturnType<typeof predictScene> | undefined;
  for (let r = 0; r < Math.max(1, req.runs ?? 1); r++) {
    const s = performance.now();
    p = predictScene(model.net, parsed, {
      voxelSize: model.spec.voxelSize,
      features: model.spec.features,
      numClasses: model.spec.classes.length,
    });
    runs.push(performance.now() - s);
  }
  const t2 = performance.now();
  // A plain scan's `label` holds raw dataset ids, not the model's classes: not shown as ground truth.
  const cloud: PointCloud = {
    positions: parsed.positions,
    colors: parsed.colors,
    properties: { ...parsed.properties, pred: p!.pred, confidence: p!.confidence },
  };
  const view = toViewerCloud(cloud, 1);
  const pred = p!.pred;
  const t3 = performance.now();
  post(
    {
      id,
      kind: 'done',
      cloud: view,
      pred,
      voxels: p!.voxelPred.length,
      backend,
      timings: { parse: t1 - t0, network: runs[runs.length - 1], runs, prepare: t3 - t2 },
    },
    [...cloudBuffers(view), pred.buffer as ArrayBuffer],
  );
}

self.onmessage = async (ev: MessageEvent<SegmentRequest>) => {
  const req = ev.data;
  try {
    if (req.kind === 'init') await init(req.id, req);
    else await segment(req.id, req);
  } catch (e) {
    post({ id: req.id, kind: 'error', message: (e as Error).message || String(e) });
  }
};
