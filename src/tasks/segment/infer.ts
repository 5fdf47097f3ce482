/**
 * Segmentation inference on whole scenes: voxelise at the model's voxel size, one forward in
 * inference mode, softmax, and projection of voxel predictions back onto every original point;
 * optional test-time augmentation (z-rotations × scales, probabilities averaged per point).
 * Also the evaluation over a prepared split (confusion on voxels and on points).
 */
import * as tf from '@tensorflow/tfjs';
import { tidyRead, tidyReadAsync } from '../../sparse/read.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { voxelize } from '../../geometry/voxelize.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import type { Res16UNet } from '../../models/res16unet.js';
import { FEATURE_DIMS, type FeatureMode } from '../../data/loader/config.js';
import { writeFeatures } from '../../data/loader/features.js';
import { ConfusionMatrix } from '../../eval/confusion.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';

export interface SegInferenceOptions {
  voxelSize: number;
  features: FeatureMode;
  numClasses: number;
  /** Test-time augmentation: rotations about z (evenly spaced) × scales. */
  tta?: { rotations: number; scales: number[] };
}

/** The test-time augmentation of `--tta`: 4 z-rotations × scales 0.95, 1, 1.05, probabilities averaged. */
export const STANDARD_TTA = { rotations: 4, scales: [0.95, 1, 1.05] };

/** A loaded network's inference options (its voxel size, input features and classes), with `--tta`. */
export function modelInference(
  m: { voxelSize: number; features: FeatureMode; classes: readonly unknown[] },
  tta?: boolean,
): SegInferenceOptions {
  return {
    voxelSize: m.voxelSize,
    features: m.features,
    numClasses: m.classes.length,
    ...(tta ? { tta: STANDARD_TTA } : {}),
  };
}

export interface ScenePrediction {
  /** Per original point. */
  pred: Int32Array;
  confidence: Float32Array;
  /** Per voxel of the un-augmented pass (labels by the collision rule when the cloud has labels). */
  voxelPred: Int32Array;
  voxelLabels?: Int32Array;
}

/**
 * The network input of one whole-scene pass over `positions` (the cloud's, or augmented ones):
 * the voxelisation, and `tensor()` making the sparse input (batch 0) inside the caller's tidy.
 */
export function sceneInput(
  cloud: PointCloud,
  positions: Float32Array,
  o: Pick<SegInferenceOptions, 'voxelSize' | 'features'>,
) {
  const v = voxelize(positions, o.voxelSize, { labels: cloud.labels });
  const m = v.pointIndex.length;
  const dim = FEATURE_DIMS[o.features];
  const feats = new Float32Array(m * dim);
  writeFeatures(cloud, v.pointIndex, o.features, feats, 0, 'scene');
  const coords = new Int32Array(m * 4);
  for (let i = 0; i < m; i++) {
    coords[i * 4 + 1] = v.coords[i * 3];
    coords[i * 4 + 2] = v.coords[i * 3 + 1];
    coords[i * 4 + 3] = v.coords[i * 3 + 2];
  }
  return { v, tensor: () => SparseTensor.fromCoords(coords, tf.tensor2d(feats, [m, dim]), 1) };
}

/** The network input of one pass over `positions` (voxels, coordinates, features). */
function passInput(cloud: PointCloud, positions: Float32Array, o: SegInferenceOptions) {
  const { v, tensor } = sceneInput(cloud, positions, o);
  /** The voxel class probabilities (M×K), made inside a tidy by the reader. */
  const probs = (net: Res16UNet) => () => tf.softmax(net.forward(tensor(), { training: false }).features);
  return { v, probs };
}

type Pass = { v: ReturnType<typeof voxelize>; probs: Float32Array };

/**
 * One scene's prediction as a sequence of passes (the augmented positions) whose probabilities
 * are summed per point; the sync and async drivers below share it and differ only in the read.
 */
class ScenePasses {
  readonly n: number;
  private readonly acc: Float32Array;
  private base: Pass | undefined;
  private count = 0;

  constructor(
    private readonly cloud: PointCloud,
    private readonly o: SegInferenceOptions,
  ) {
    this.n = cloud.positions.length / 3;
    this.acc = new Float32Array(this.n * o.numClasses);
  }

  /** The positions of every pass (z-rotations about the centroid × scales; the first is the cloud). */
  *positions(): Generator<Float32Array> {
    const { cloud, n } = this;
    const rotations = this.o.tta?.rotations ?? 1;
    const scales = this.o.tta?.scales ?? [1];
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < n; i++) {
      cx += cloud.positions[i * 3];
      cy += cloud.positions[i * 3 + 1];
    }
    cx /= Math.max(n, 1);
    cy /= Math.max(n, 1);
    for (let r = 0; r < rotations; r++) {
      for (const s of scales) {
        if (r === 0 && s === 1) {
          yield cloud.positions;
          continue;
        }
        const a = (2 * Math.PI * r) / rotations;
        const c = Math.cos(a) * s;
        const sn = Math.sin(a) * s;
        const pos = new Float32Array(n * 3);
        for (let i = 0; i < n; i++) {
          const x = cloud.positions[i * 3] - cx;
          const y = cloud.positions[i * 3 + 1] - cy;
          pos[i * 3] = c * x - sn * y + cx;
          pos[i * 3 + 1] = sn * x + c * y + cy;
          pos[i * 3 + 2] = cloud.positions[i * 3 + 2] * s;
        }
        yield pos;
      }
    }
  }

  input(positions: Float32Array) {
    return passInput(this.cloud, positions, this.o);
  }

  add(pass: Pass): void {
    this.base ??= pass;
    this.count++;
    const k = this.o.numClasses;
    const inv = pass.v.inverse;
    for (let i = 0; i < this.n; i++) {
      const src = inv[i] * k;
      for (let c = 0; c < k; c++) this.acc[i * k + c] += pass.probs[src + c];
    }
  }

  /** The class probabilities of every point (N×K, averaged over the passes). */
  probabilities(): Float32Array {
    const inv = 1 / Math.max(this.count, 1);
    return this.acc.map((v) => v * inv);
  }

  result(): ScenePrediction {
    const { n, acc } = this;
    const k = this.o.numClasses;
    const base = this.base!;
    const pred = new Int32Array(n);
    const confidence = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (acc[i * k + c] > acc[i * k + best]) best = c;
      pred[i] = best;
      confidence[i] = acc[i * k + best] / this.count;
    }
    const m = base.v.pointIndex.length;
    const voxelPred = new Int32Array(m);
    for (let v = 0; v < m; v++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (base.probs[v * k + c] > base.probs[v * k + best]) best = c;
      voxelPred[v] = best;
    }
    return { pred, confidence, voxelPred, voxelLabels: base.v.labels };
  }
}

/** Predicts every point of a cloud (labels, if present, give the voxel labels for voxel metrics). */
export function predictScene(net: Res16UNet, cloud: PointCloud, o: SegInferenceOptions): ScenePrediction {
  return runPasses(net, cloud, o).result();
}

/** Every pass of one scene, read synchronously. */
function runPasses(net: Res16UNet, cloud: PointCloud, o: SegInferenceOptions): ScenePasses {
  const run = new ScenePasses(cloud, o);
  for (const positions of run.positions()) {
    const { v, probs } = run.input(positions);
    run.add({ v, probs: tidyRead(probs(net)) as Float32Array });
  }
  return run;
}

/** The class probabilities of every point of a cloud (N×K, row-major; TTA passes averaged). */
export function pointProbabilities(net: Res16UNet, cloud: PointCloud, o: SegInferenceOptions): Float32Array {
  return runPasses(net, cloud, o).probabilities();
}

/**
 * {@link predictScene} reading the network's output with `await data()`: the one to use on GPU
 * backends (webgl, webgpu), where a synchronous read blocks or, on webgpu, can return zeros.
 */
export async function predictSceneAsync(
  net: Res16UNet,
  cloud: PointCloud,
  o: SegInferenceOptions,
): Promise<ScenePrediction> {
  return (await runPassesAsync(net, cloud, o)).result();
}

/** {@link predictSceneAsync} with the class probabilities of every point (N×K) beside it. */
export async function predictSceneProbabilitiesAsync(
  net: Res16UNet,
  cloud: PointCloud,
  o: SegInferenceOptions,
): Promise<{ prediction: ScenePrediction; probabilities: Float32Array }> {
  const run = await runPassesAsync(net, cloud, o);
  return { prediction: run.result(), probabilities: run.probabilities() };
}

/** Every pass of one scene, read with `await data()`. */
async function runPassesAsync(
  net: Res16UNet,
  cloud: PointCloud,
  o: SegInferenceOptions,
): Promise<ScenePasses> {
  const run = new ScenePasses(cloud, o);
  for (const positions of run.positions()) {
    const { v, probs } = run.input(positions);
    run.add({ v, probs: (await tidyReadAsync(probs(net))) as Float32Array });
  }
  return run;
}

export interface SplitEvaluation {
  points: ConfusionMatrix;
  voxels: ConfusionMatrix;
  scenes: number;
}

/** Accumulates point- and voxel-level confusion matrices over scenes of a prepared split. */
export function evaluateSplit(
  net: Res16UNet,
  ds: PreparedDataset,
  names: string[],
  o: SegInferenceOptions,
  onScene?: (done: number, total: number, name: string, p: ScenePrediction) => void,
): SplitEvaluation {
  const points = new ConfusionMatrix(o.numClasses);
  const voxels = new ConfusionMatrix(o.numClasses);
  names.forEach((name, i) => {
    const scene = ds.readScene(name);
    if (!scene.cloud.labels) throw new Error(`${ds.dir}: scene ${name} has no labels to evaluate against`);
    const p = predictScene(net, scene.cloud, o);
    points.add(scene.cloud.labels, p.pred);
    voxels.add(p.voxelLabels!, p.voxelPred);
    onScene?.(i + 1, names.length, name, p);
  });
  return { points, voxels, scenes: names.length };
}
