/**
 * The 3D detector: a Res16UNet backbone's stride-1 voxel features → detection head seeds →
 * votes (voxel centre + offset) → per-scene candidate votes (predicted objects, plus ground-truth
 * objects in training) → farthest point sampling + ball query → proposals. One forward pass of
 * a voxel batch; decoding to boxes is in decode.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import { CoordinateManager } from '../../sparse/coordinate-manager.js';
import { CoordSet } from '../../sparse/coord-set.js';
import { tidyRead } from '../../sparse/read.js';
import { buildNetwork, type Architecture } from '../build.js';
import type { Res16UNet } from '../res16unet.js';
import type { Params } from '../params.js';
import {
  DetectionHead,
  type DetHeadConfig,
  type ProposalGroups,
  type ProposalOutputs,
  type SeedOutputs,
} from './detection-head.js';
import { ballQuery, farthestPointSample } from './grouping.js';

/** The voxel batch fields a detector reads (a loader `VoxelBatch` has them all). */
export interface DetInput {
  /** N×4 (b, x, y, z) voxel coordinates, rows grouped by batch item. */
  coords: Int32Array;
  feats: Float32Array;
  featDim: number;
  /** B+1 row offsets per item. */
  offsets: Int32Array;
}

/** Backbone + head, with the detection classes (head index → train id of the label map). */
export class Detector {
  readonly head: DetectionHead;
  constructor(
    readonly net: Res16UNet,
    /** Train ids of the detection classes, in head order. */
    readonly classIds: readonly number[],
    readonly voxelSize: number,
    head: DetHeadConfig,
  ) {
    this.head = new DetectionHead(net.params, net.featureChannels, classIds.length, head);
  }
  get params(): Params {
    return this.net.params;
  }
}

/** Builds a detector (backbone parameters from `seed`, head parameters after them). */
export function buildDetector(
  arch: Architecture,
  head: DetHeadConfig,
  classIds: readonly number[],
  voxelSize: number,
  seed = 0,
): Detector {
  if (classIds.length === 0) throw new Error('detector: no detection classes');
  return new Detector(buildNetwork(arch, seed), classIds, voxelSize, head);
}

/** Everything one forward pass produces; tensors belong to the caller's scope. */
export interface DetectorPass {
  seeds: SeedOutputs;
  /** Voted centres [N × 3], metres in the batch's (augmented) frame. */
  votes: tf.Tensor2D;
  votesHost: Float32Array;
  /** Seed objectness probabilities [N]. */
  objectnessHost: Float32Array;
  groups: ProposalGroups;
  /** Batch item of each proposal [P]. */
  proposalItem: Int32Array;
  proposals: ProposalOutputs;
}

export interface ForwardOptions {
  training: boolean;
  /** Per voxel, 1 to make it a candidate voter regardless of its objectness (training: GT objects). */
  forceCandidates?: Uint8Array;
  /** Shuffles each scene's candidates (varies FPS starts and ball-query members in training). */
  shuffle?: (a: Int32Array) => void;
}

/** Voxel centres in metres, N×3. */
export function voxelCentres(coords: Int32Array, voxelSize: number): Float32Array {
  const n = coords.length / 4;
  const out = new Float32Array(n * 3);
  for (let r = 0; r < n; r++)
    for (let d = 0; d < 3; d++) out[r * 3 + d] = (coords[r * 4 + 1 + d] + 0.5) * voxelSize;
  return out;
}

/**
 * Voters of rows [from, to): objectness ≥ threshold or forced; when fewer than `min`, the
 * most object-like rows are added (in row order, so the result does not depend on sorting ties).
 */
export function candidates(
  objectness: Float32Array,
  from: number,
  to: number,
  threshold: number,
  min: number,
  force?: Uint8Array,
): Int32Array {
  const pick = new Uint8Array(to - from);
  let count = 0;
  for (let r = from; r < to; r++) {
    if (objectness[r] >= threshold || force?.[r]) {
      pick[r - from] = 1;
      count++;
    }
  }
  if (count < min && count < to - from) {
    const rest = Int32Array.from({ length: to - from }, (_, i) => from + i).filter((r) => !pick[r - from]);
    rest.sort((a, b) => objectness[b] - objectness[a] || a - b);
    for (let i = 0; i < Math.min(min - count, rest.length); i++) pick[rest[i] - from] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < pick.length; i++) if (pick[i]) out.push(from + i);
  return Int32Array.from(out);
}

function cat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Per centre, the size of the bounding box of the voxels (centres ± half a voxel) among
 * `candidates` whose vote lies within `radius` of the centre's vote: the object extent that
 * PointGroup-style clustering reads off its cluster, the proposal's size prior.
 */
export function voterExtents(
  positions: Float32Array,
  votes: Float32Array,
  candidates: Int32Array,
  centres: Int32Array,
  radius: number,
  voxelSize: number,
): Float32Array {
  const out = new Float32Array(centres.length * 3);
  const r2 = radius * radius;
  const lo = new Float64Array(3);
  const hi = new Float64Array(3);
  centres.forEach((c, k) => {
    lo.fill(Infinity);
    hi.fill(-Infinity);
    for (const q of candidates) {
      const dx = votes[q * 3] - votes[c * 3];
      const dy = votes[q * 3 + 1] - votes[c * 3 + 1];
      const dz = votes[q * 3 + 2] - votes[c * 3 + 2];
      if (dx * dx + dy * dy + dz * dz > r2) continue;
      for (let d = 0; d < 3; d++) {
        const v = positions[q * 3 + d];
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
    for (let d = 0; d < 3; d++) out[k * 3 + d] = (hi[d] >= lo[d] ? hi[d] - lo[d] : 0) + voxelSize;
  });
  return out;
}

/** Candidate voters, proposal centres and members of every scene (row indices of the batch). */
export function groupProposals(
  det: Detector,
  input: DetInput,
  votes: Float32Array,
  objectness: Float32Array,
  opts: Pick<ForwardOptions, 'forceCandidates' | 'shuffle'>,
  positions: Float32Array = voxelCentres(input.coords, det.voxelSize),
): { groups: ProposalGroups; proposalItem: Int32Array } {
  const { proposals, radius, nsample, objectnessThreshold, minCandidates } = det.head.config;
  const centres: Int32Array[] = [];
  const members: Int32Array[] = [];
  const extents: Float32Array[] = [];
  const items: number[] = [];
  for (let b = 0; b + 1 < input.offsets.length; b++) {
    const c = candidates(
      objectness,
      input.offsets[b],
      input.offsets[b + 1],
      objectnessThreshold,
      minCandidates,
      opts.forceCandidates,
    );
    opts.shuffle?.(c);
    const ctr = farthestPointSample(votes, c, proposals);
    centres.push(ctr);
    members.push(ballQuery(votes, c, ctr, radius, nsample));
    extents.push(voterExtents(positions, votes, c, ctr, radius, det.voxelSize));
    for (let i = 0; i < ctr.length; i++) items.push(b);
  }
  const extent = new Float32Array(extents.reduce((n, e) => n + e.length, 0));
  extents.reduce((o, e) => (extent.set(e, o), o + e.length), 0);
  return {
    groups: { centres: cat(centres), members: cat(members), extent },
    proposalItem: Int32Array.from(items),
  };
}

/** One forward pass: backbone, seeds, votes, grouping, proposals. */
export function forwardDetector(det: Detector, input: DetInput, opts: ForwardOptions): DetectorPass {
  const n = input.coords.length / 4;
  const batchSize = input.offsets.length - 1;
  const mgr = new CoordinateManager(new CoordSet(input.coords, 1, batchSize));
  const x = new SparseTensor(tf.tensor2d(input.feats, [n, input.featDim]), mgr);
  const features = det.net.features(x, { training: opts.training }).features;
  const seeds = det.head.seeds(features);
  const positions = voxelCentres(input.coords, det.voxelSize);
  const votes = tf.add(tf.tensor2d(positions, [n, 3]), seeds.offsets) as tf.Tensor2D;
  const votesHost = votes.dataSync() as Float32Array;
  const objectnessHost = tidyRead(() => tf.sigmoid(seeds.objectness)) as Float32Array;
  const { groups, proposalItem } = groupProposals(det, input, votesHost, objectnessHost, opts, positions);
  const proposals = det.head.proposals(features, votes, seeds, groups);
  return { seeds, votes, votesHost, objectnessHost, groups, proposalItem, proposals };
}
