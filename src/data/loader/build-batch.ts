/**
 * Builds one batch from its samples: augment each cloud (or each view of a pair, independently)
 * with its own seeded RNG, voxelise, gather features and labels, stack with batch indices, and map
 * point correspondences to deduplicated voxel-row correspondences. Pure and synchronous.
 */
import { voxelize, batchCoords } from '../../geometry/voxelize.js';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { Rng } from '../../core/rng.js';
import { prefixOffsets } from '../../core/offsets.js';
import { augment, buildPipeline } from '../augment/registry.js';
import { inputToCurrent, type AugState } from '../augment/state.js';
import { transformBoxes, type AugBox } from '../augment/boxes.js';
import type { AugmentStep } from '../augment/state.js';
import { FEATURE_DIMS, type LoaderConfig } from './config.js';
import { jitterFeatures, writeFeatures } from './features.js';
import { pointHeights } from '../../geometry/floor-level.js';
import { featureNeeds } from '../../models/input-features.js';
import type { BatchMeta, PairBatch, PairSample, PairView, SceneSample, VoxelBatch, Voxels } from './types.js';

/** One augmented, voxelised cloud before stacking. */
interface Item {
  name: string;
  inputCount: number;
  state: AugState;
  coords: Int32Array;
  inverse: Int32Array;
  /** For each voxel, its first point (after augmentation). */
  pointIndex: Int32Array;
  feats: Float32Array;
  labels?: Int32Array;
  instances?: Int32Array;
  boxes?: AugBox[];
}

/** Turns samples into batches under one loader config. */
export interface BatchBuilder {
  /** Scenes with their augmentation seeds → a voxel batch. */
  scenes(samples: readonly SceneSample[], seeds: readonly number[], epoch: number, index: number): VoxelBatch;
  /** Pairs with their per-view seeds [s0, s1] → a pair batch. */
  pairs(
    samples: readonly PairSample[],
    seeds: readonly (readonly [number, number])[],
    epoch: number,
    index: number,
  ): PairBatch;
}

/** Creates the batch builder of a validated config. */
export function createBatchBuilder(cfg: LoaderConfig): BatchBuilder {
  const steps = buildPipeline(cfg.transforms);
  const featDim = FEATURE_DIMS[cfg.features];
  const item = (name: string, cloud: PointCloud, seed: number, withLabels: boolean): Item =>
    buildItem(name, cloud, seed, withLabels, steps, cfg, featDim);
  return {
    scenes(samples, seeds, epoch, index) {
      const withLabels = samples.length > 0 && samples[0].cloud.labels !== undefined;
      const withBoxes = samples.length > 0 && samples[0].boxes !== undefined;
      const items = samples.map((s, b) => {
        if ((s.cloud.labels !== undefined) !== withLabels) {
          throw new Error(
            `${s.name}: ${withLabels ? 'has no labels' : 'has labels'} unlike ${samples[0].name} in the same batch`,
          );
        }
        const it = item(s.name, s.cloud, seeds[b], withLabels);
        if (withBoxes) {
          it.instances = voxelInstances(it, s.name, samples[0].cloud.instances !== undefined);
          it.boxes = transformBoxes(
            s.boxes ?? [],
            it.state.affine,
            it.state.index ? it.state.cloud.instances : undefined,
          );
        }
        return it;
      });
      const vox = stack(items, featDim, cfg.pointToVoxel, withBoxes);
      return { kind: 'scenes', ...batchMeta(samples, epoch, index), ...vox };
    },
    pairs(samples, seeds, epoch, index) {
      const v0: Item[] = [];
      const v1: Item[] = [];
      for (let b = 0; b < samples.length; b++) {
        const s = samples[b];
        v0.push(item(`${s.name} view 0`, viewCloud(s.view0), seeds[b][0], false));
        v1.push(item(`${s.name} view 1`, viewCloud(s.view1), seeds[b][1], false));
      }
      const view0 = stack(v0, featDim, cfg.pointToVoxel, false);
      const view1 = stack(v1, featDim, cfg.pointToVoxel, false);
      const parts = samples.map((s, b) => {
        const local = voxelCorrespondences(s, v0[b], v1[b]);
        for (let k = 0; k < local.length; k += 2) {
          local[k] += view0.offsets[b];
          local[k + 1] += view1.offsets[b];
        }
        return local;
      });
      const corrOffsets = prefixOffsets(parts.length, (b) => parts[b].length / 2);
      const corr = new Int32Array(corrOffsets[samples.length] * 2);
      parts.forEach((p, b) => corr.set(p, corrOffsets[b] * 2));
      return { kind: 'pairs', ...batchMeta(samples, epoch, index), view0, view1, corr, corrOffsets };
    },
  };
}

function batchMeta(samples: readonly { name: string }[], epoch: number, index: number): BatchMeta {
  return { epoch, index, batchSize: samples.length, sceneNames: samples.map((s) => s.name) };
}

function viewCloud(v: PairView): PointCloud {
  const c: PointCloud = { positions: v.positions };
  if (v.colors) c.colors = v.colors;
  if (v.normals) c.normals = v.normals;
  return c;
}

function buildItem(
  name: string,
  cloud: PointCloud,
  seed: number,
  withLabels: boolean,
  steps: readonly AugmentStep[],
  cfg: LoaderConfig,
  featDim: number,
): Item {
  const rng = new Rng(seed);
  const state = augment(cloud, steps, rng);
  const out = state.cloud;
  let vox;
  try {
    vox = voxelize(
      out.positions,
      cfg.voxelSize,
      withLabels ? { labels: out.labels, ignoreLabel: cfg.ignoreLabel } : {},
    );
  } catch (e) {
    throw new Error(`${name}: ${(e as Error).message}`);
  }
  const m = vox.pointIndex.length;
  const feats = new Float32Array(m * featDim);
  // Height above the floor is measured before augmentation: a tilt or a distortion moves a point, not its height.
  const heights = featureNeeds(cfg.features).height ? pointHeights(cloud.positions, state.index) : undefined;
  writeFeatures(out, vox.pointIndex, cfg.features, feats, 0, name, heights);
  if (cfg.featureJitter)
    jitterFeatures(feats, featDim, 0, m, cfg.featureJitter.sigma, cfg.featureJitter.p, rng);
  const it: Item = {
    name,
    inputCount: cloud.positions.length / 3,
    state,
    coords: vox.coords,
    inverse: vox.inverse,
    pointIndex: vox.pointIndex,
    feats,
  };
  if (vox.labels) it.labels = vox.labels;
  return it;
}

function stack(
  items: readonly Item[],
  featDim: number,
  withPointToVoxel: boolean,
  withBoxes: boolean,
): Voxels {
  const b = items.length;
  const offsets = prefixOffsets(b, (i) => items[i].coords.length / 3);
  const n = offsets[b];
  const feats = new Float32Array(n * featDim);
  const affine = new Float64Array(b * 12);
  const affineExact = new Uint8Array(b);
  const labels = items.length > 0 && items[0].labels ? new Int32Array(n) : undefined;
  const instances = items.length > 0 && items[0].instances ? new Int32Array(n) : undefined;
  items.forEach((it, i) => {
    feats.set(it.feats, offsets[i] * featDim);
    if (labels && it.labels) labels.set(it.labels, offsets[i]);
    if (instances && it.instances) instances.set(it.instances, offsets[i]);
    affine.set(it.state.affine, i * 12);
    affineExact[i] = it.state.affineExact ? 1 : 0;
  });
  const out: Voxels = {
    coords: batchCoords(items.map((it) => it.coords)),
    feats,
    featDim,
    offsets,
    affine,
    affineExact,
  };
  if (labels) out.labels = labels;
  if (instances) out.instances = instances;
  if (withPointToVoxel) {
    out.pointToVoxel = items.map((it, i) => {
      const map = inputToCurrent(it.state, it.inputCount);
      for (let p = 0; p < map.length; p++) if (map[p] >= 0) map[p] = offsets[i] + it.inverse[map[p]];
      return map;
    });
  }
  if (withBoxes) out.boxes = items.map((it) => it.boxes ?? []);
  return out;
}

// Per-voxel instance ids (first point of each voxel, as features), or undefined when scenes lack them.
function voxelInstances(it: Item, name: string, expected: boolean): Int32Array | undefined {
  const inst = it.state.cloud.instances;
  if ((inst !== undefined) !== expected)
    throw new Error(
      `${name}: ${expected ? 'has no instance ids' : 'has instance ids'} unlike the first scene of its batch`,
    );
  if (!inst) return undefined;
  const out = new Int32Array(it.pointIndex.length);
  for (let v = 0; v < out.length; v++) out[v] = inst[it.pointIndex[v]];
  return out;
}

// Point correspondences of one pair → unique (view-0 voxel, view-1 voxel) pairs of its items, sorted.
function voxelCorrespondences(sample: PairSample, it0: Item, it1: Item): Int32Array {
  const { corr, name } = sample;
  if (corr.length % 2 !== 0) throw new Error(`${name}: correspondence array has odd length ${corr.length}`);
  const n0 = it0.inputCount;
  const n1 = it1.inputCount;
  const cur0 = inputToCurrent(it0.state, n0);
  const cur1 = inputToCurrent(it1.state, n1);
  const m1 = it1.coords.length / 3;
  const keys = new Float64Array(corr.length / 2);
  let k = 0;
  for (let c = 0; c < corr.length; c += 2) {
    const i = corr[c];
    const j = corr[c + 1];
    if (!(i >= 0 && i < n0 && j >= 0 && j < n1)) {
      throw new Error(
        `${name}: correspondence ${c / 2} is (${i}, ${j}), outside views of ${n0} and ${n1} points`,
      );
    }
    const a = cur0[i];
    const b = cur1[j];
    if (a < 0 || b < 0) continue; // a crop or dropout removed one of the two points
    keys[k++] = it0.inverse[a] * m1 + it1.inverse[b];
  }
  const sorted = keys.subarray(0, k).sort();
  const out = new Int32Array(k * 2);
  let u = 0;
  for (let q = 0; q < k; q++) {
    if (q > 0 && sorted[q] === sorted[q - 1]) continue;
    const key = sorted[q];
    const a = Math.floor(key / m1);
    out[u * 2] = a;
    out[u * 2 + 1] = key - a * m1;
    u++;
  }
  return out.slice(0, u * 2);
}
