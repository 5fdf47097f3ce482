/**
 * The data loader's shapes: what a source yields (scenes or view pairs with point
 * correspondences) and the voxelised batches it builds for the trainer.
 */
import { z } from 'zod';
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { AugBox } from '../augment/boxes.js';

/** One scene: a labelled cloud and its object boxes (segmentation / detection). */
export interface SceneSample {
  name: string;
  cloud: PointCloud;
  boxes?: AugBox[];
}

/** One partial view of a pair (world coordinates; pose is the view's camera-to-world 4×4, row-major). */
export interface PairView {
  positions: Float32Array;
  colors?: Uint8Array;
  normals?: Float32Array;
  pose?: ArrayLike<number>;
}

/** Two views of one scene and their corresponding points: corr = [i0, j0, i1, j1, …] (view-0, view-1 indices). */
export interface PairSample {
  name: string;
  view0: PairView;
  view1: PairView;
  corr: Int32Array;
}

/** Random access to N scenes. */
export interface SceneSource {
  kind: 'scenes';
  size: number;
  read(index: number): SceneSample | Promise<SceneSample>;
  close?(): void | Promise<void>;
}

/** Random access to N pairs. */
export interface PairSource {
  kind: 'pairs';
  size: number;
  read(index: number): PairSample | Promise<PairSample>;
  close?(): void | Promise<void>;
}

/** Either kind of source. */
export type SampleSource = SceneSource | PairSource;

/** B voxelised clouds stacked into one sparse batch. Row r of coords/feats/labels is one voxel. */
export interface Voxels {
  /** N×4 (b, x, y, z) integer voxel coordinates, unique per row. */
  coords: Int32Array;
  /** N×featDim features of each voxel's first point. */
  feats: Float32Array;
  featDim: number;
  /** N voxel labels; a voxel whose points disagree gets the ignore label. */
  labels?: Int32Array;
  /** N voxel instance ids (the voxel's first point's; −1 = none), for scenes that have boxes and instances. */
  instances?: Int32Array;
  /** B+1 row offsets: item b owns rows offsets[b] … offsets[b+1]−1. */
  offsets: Int32Array;
  /** Per item, for every input point, its batch row (−1 if a crop/dropout removed it). */
  pointToVoxel?: Int32Array[];
  /** Per item, its boxes after augmentation (metres, augmented frame). */
  boxes?: AugBox[][];
  /** B×12: per item, the 3×4 affine the augmentation applied (input metres → augmented metres). */
  affine: Float64Array;
  /** Per item, 1 when `affine` is exact (no elastic or coordinate jitter ran). */
  affineExact: Uint8Array;
}

/** Which batch of the stream this is. */
export interface BatchMeta {
  /** Epoch and batch index within the epoch. */
  epoch: number;
  index: number;
  batchSize: number;
  sceneNames: string[];
}

/** Segmentation / detection batch. */
export interface VoxelBatch extends Voxels, BatchMeta {
  kind: 'scenes';
}

/** Pre-training batch: both views voxelised as two batches, and their voxel correspondences. */
export interface PairBatch extends BatchMeta {
  kind: 'pairs';
  view0: Voxels;
  view1: Voxels;
  /** [r0, s0, r1, s1, …]: row in the view-0 batch, row in the view-1 batch; unique, sorted, offsets applied. */
  corr: Int32Array;
  /** B+1 offsets into corr pairs: item b owns pairs corrOffsets[b] … corrOffsets[b+1]−1. */
  corrOffsets: Int32Array;
}

/** A batch of either kind. */
export type Batch = VoxelBatch | PairBatch;

/** Where a loader is in its stream; restart from it to see exactly the same next batches. */
export const loaderStateSchema = z.object({
  /** Epoch of the next batch. */
  epoch: z.number().int().min(0),
  /** Index within the epoch of the next batch. */
  batch: z.number().int().min(0),
  /** Checked on resume: the seed, dataset size and batch size the state belongs to. */
  seed: z.number(),
  size: z.number(),
  batchSize: z.number(),
});
export type LoaderState = z.output<typeof loaderStateSchema>;
