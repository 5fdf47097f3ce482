/**
 * Web worker that segments point clouds in the page: initialises a tfjs backend, loads the
 * exported model, and per file parses it (the shared format parsers), checks the point limit and
 * the input features, and runs the shared inference (voxelise → sparse U-Net → softmax → back
 * onto every point, src/tasks/segment/infer.ts) — the same code `pointcontrast predict` runs in
 * Node, reading results asynchronously. A result that fails the plausibility check
 * (src/tasks/segment/check-prediction.ts) is an error naming the backend; with `auto` the worker
 * moves on to the next backend (the weights are kept, the network rebuilt there) and runs again.
 */
import { parsePointCloud } from '../../../src/data/formats/index.js';
import { missingInputs } from '../../../src/models/checkpoint-model.js';
import {
  predictSceneAsync,
  predictSceneProbabilitiesAsync,
  type ScenePrediction,
} from '../../../src/tasks/segment/infer.js';
import { complementResult } from '../../../src/tasks/segment/complement.js';
import { predictionProblem } from '../../../src/tasks/segment/check-prediction.js';
import { predictionPly } from '../../../src/tasks/segment/prediction-cloud.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { cloudBuffers, toViewerCloud } from '../scenes/viewer-cloud.js';
import {
  activateBackend,
  activeDevice,
  activeThreads,
  planBackends,
  type BackendPlan,
} from './browser-backend.js';
import { hostBackend } from '../../../src/sparse/host-backend.js';
import {
  buildBrowserModel,
  disposeBrowserModel,
  fetchBrowserModel,
  type BrowserModel,
  type FetchedModel,
} from './load-model.js';
import type { ModelInfo, SegmentReply, SegmentRequest } from './protocol.js';

let fetched: FetchedModel | null = null;
let model: BrowserModel | null = null;
let plan: BackendPlan | null = null;
/** Index in plan.order of the active backend. */
let current = -1;
let loadMs = 0;
let simulateFailure: string | null = null;
let wasmThreads: number | null = null;

function post(msg: SegmentReply, transfer: ArrayBuffer[] = []): void {
  self.postMessage(msg, { transfer });
}

/** Lets the progress message out before a long synchronous step. */
const yieldToLoop = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function info(): ModelInfo {
  return {
    manifest: model!.manifest,
    backend: plan!.order[current],
    skipped: [...plan!.skipped],
    device: activeDevice(plan!),
    threads: activeThreads(),
    loadMs,
    rowOps: hostBackend()?.rowOps ?? 'tf-ops',
  };
}

/** Starts the first backend of the plan from index `from` that initialises and builds the network. */
async function startFrom(from: number): Promise<void> {
  if (model) {
    disposeBrowserModel(model);
    model = null;
  }
  for (let i = from; i < plan!.order.length; i++) {
    const name = plan!.order[i];
    try {
      await activateBackend(name, wasmThreads);
      model = buildBrowserModel(fetched!);
      current = i;
      return;
    } catch (e) {
      const msg = (e as Error).message;
      const named = msg.startsWith(`${name}:`) ? msg : `${name}: ${msg}`;
      if (plan!.order.length === 1) throw new Error(named);
      plan!.skipped.push(named);
    }
  }
  throw new Error(`no tfjs backend could run the model: ${plan!.skipped.join('; ')}`);
}

async function init(id: number, req: Extract<SegmentRequest, { kind: 'init' }>): Promise<void> {
  post({ id, kind: 'progress', stage: 'starting the tfjs backend' });
  const t0 = performance.now();
  plan = await planBackends(req.backend);
  simulateFailure = req.simulateFailure;
  wasmThreads = req.threads;
  post({ id, kind: 'progress', stage: 'loading the model', fraction: 0 });
  fetched = await fetchBrowserModel(req.modelUrl, (f) =>
    post({ id, kind: 'progress', stage: 'loading the model', fraction: f }),
  );
  await startFrom(0);
  loadMs = performance.now() - t0;
  post({ id, kind: 'ready', info: info() });
}

/** Inference options of a network from its description. */
const inference = (m: BrowserModel) => ({
  voxelSize: m.spec.voxelSize,
  features: m.spec.features,
  numClasses: m.spec.classes.length,
});

/**
 * One prediction of `cloud`: the model's, or with a complement rule the rule's (the init answers
 * for the classes the training labels lack; src/tasks/segment/complement.ts, as `predict --complement`).
 */
async function predictOnce(m: BrowserModel, cloud: PointCloud): Promise<ScenePrediction> {
  const rule = m.manifest.complement;
  if (!rule || !m.complement) return predictSceneAsync(m.net, cloud, inference(m));
  const own = await predictSceneProbabilitiesAsync(m.net, cloud, inference(m));
  const init = await predictSceneProbabilitiesAsync(m.complement.net, cloud, inference(m.complement));
  const decided = complementResult(own.probabilities, init.probabilities, m.spec.classes.length, rule);
  return { ...own.prediction, ...decided };
}

/** The network over `cloud` `runs` times on the active backend, each run's ms, and its output check. */
async function runNetwork(cloud: PointCloud, runs: number) {
  const times: number[] = [];
  let p: ScenePrediction | undefined;
  for (let r = 0; r < Math.max(1, runs); r++) {
    const s = performance.now();
    p = await predictOnce(model!, cloud);
    times.push(performance.now() - s);
  }
  if (simulateFailure === plan!.order[current]) {
    p!.pred.fill(0);
    p!.confidence.fill(0);
  }
  return { p: p!, times, problem: predictionProblem(p!, model!.spec.classes.length) };
}

async function segment(id: number, req: Extract<SegmentRequest, { kind: 'segment' }>): Promise<void> {
  if (!model || !plan) throw new Error('no model loaded');
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
  const missing =
    missingInputs(model.spec.features, parsed, fileName) ??
    (model.complement ? missingInputs(model.complement.spec.features, parsed, fileName) : null);
  if (missing) throw new Error(missing);
  const t1 = performance.now();
  let result: Awaited<ReturnType<typeof runNetwork>> | undefined;
  for (;;) {
    const backend = plan.order[current];
    post({ id, kind: 'progress', stage: `segmenting ${n.toLocaleString('en-US')} points on ${backend}` });
    await yieldToLoop();
    let problem: string;
    try {
      result = await runNetwork(parsed, req.runs ?? 1);
      if (!result.problem) break;
      problem = result.problem;
    } catch (e) {
      problem = (e as Error).message || String(e);
    }
    const failure = `${backend}: ${problem}`;
    if (current + 1 >= plan.order.length) {
      const before = plan.skipped.length ? ` (after: ${plan.skipped.join('; ')})` : '';
      throw new Error(`${fileName}: segmentation failed on ${failure}${before}`);
    }
    plan.skipped.push(`${failure} on ${fileName}`);
    post({ id, kind: 'progress', stage: `${backend} failed; starting ${plan.order[current + 1]}` });
    await startFrom(current + 1);
  }
  const { p, times } = result;
  const t2 = performance.now();
  // A plain scan's `label` holds raw dataset ids, not the model's classes: not shown as ground truth.
  const cloud: PointCloud = {
    positions: parsed.positions,
    colors: parsed.colors,
    properties: { ...parsed.properties, pred: p.pred, confidence: p.confidence },
  };
  const view = toViewerCloud(cloud, 1);
  const bytes = predictionPly(fileName, parsed, { pred: p.pred, confidence: p.confidence });
  const ply = bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  const t3 = performance.now();
  post(
    {
      id,
      kind: 'done',
      cloud: view,
      pred: p.pred,
      voxels: p.voxelPred.length,
      info: info(),
      timings: { parse: t1 - t0, network: times[times.length - 1], runs: times, prepare: t3 - t2 },
      ply: ply as ArrayBuffer,
    },
    [...cloudBuffers(view), p.pred.buffer as ArrayBuffer, ply as ArrayBuffer],
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
