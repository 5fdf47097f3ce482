/**
 * The VoteNet-style detection head on per-voxel backbone features: a seed stage (per voxel:
 * objectness, class and an offset vote to its object's centre) and a proposal stage (members
 * grouped around a voted centre → shared MLP → max-pool → objectness, centre residual, log size,
 * class). Parameters live in the backbone's Params store under `head.`.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Params } from '../params.js';
import { gatherRows } from '../../sparse/gather-op.js';
import { Dense } from './dense.js';

/** Head architecture and grouping options (saved in checkpoints). */
export const detHeadSchema = z.strictObject({
  /** Width of the head MLPs. */
  hidden: z.number().int().positive().default(64),
  /** Proposals per scene (farthest point sampling of voted centres). */
  proposals: z.number().int().positive().default(128),
  /** Grouping radius around a proposal's centre, metres (VoteNet: 0.3). */
  radius: z.number().positive().default(0.3),
  /** Member votes per proposal (VoteNet: 16). */
  nsample: z.number().int().positive().default(16),
  /** Voxels whose predicted objectness reaches this vote into proposals. */
  objectnessThreshold: z.number().min(0).max(1).default(0.5),
  /** At least this many voters per scene: the most object-like voxels fill up a short list. */
  minCandidates: z.number().int().min(0).default(256),
  /** Prior box size (metres) the predicted log-size is relative to. */
  sizePrior: z.number().positive().default(1),
  /**
   * Proposal losses do not reach the backbone or the votes (they train the proposal layers
   * only); the backbone learns from the dense per-voxel losses. See docs/detection.md.
   */
  detachProposals: z.boolean().default(true),
});
export type DetHeadConfig = z.output<typeof detHeadSchema>;

/** Seed-stage outputs, one row per voxel. */
export interface SeedOutputs {
  /** Objectness logit [N]. */
  objectness: tf.Tensor1D;
  /** Class logits [N × D]. */
  classLogits: tf.Tensor2D;
  /** Vote offset (metres) to the object's centre [N × 3]. */
  offsets: tf.Tensor2D;
}

/** Which voxel rows form each proposal. */
export interface ProposalGroups {
  /** Row of the voted centre each proposal is built around [P]. */
  centres: Int32Array;
  /** Member rows [P × nsample]. */
  members: Int32Array;
  /** Size (metres, P × 3) of the bounding box of every voter whose vote lies within the radius. */
  extent: Float32Array;
}

/** Proposal-stage outputs, one row per proposal. */
export interface ProposalOutputs {
  /** Voted centre the proposal was grouped around [P × 3] (differentiable w.r.t. the votes). */
  base: tf.Tensor2D;
  /** Not-object / object logits [P × 2]. */
  objectness: tf.Tensor2D;
  /** Box centre = base + residual [P × 3]. */
  center: tf.Tensor2D;
  /** log(size / sizePrior) [P × 3]. */
  logSize: tf.Tensor2D;
  classLogits: tf.Tensor2D;
}

/** The same values as a new tensor outside the gradient tape. */
function detach(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tensor2d(x.dataSync() as Float32Array, x.shape);
}

const clipLogSize = (x: tf.Tensor2D) => tf.clipByValue(x, -5, 3) as tf.Tensor2D;

/** The detection head's layers and forward stages. */
export class DetectionHead {
  readonly seedHidden: Dense;
  readonly seedObjectness: Dense;
  readonly seedClass: Dense;
  readonly seedVote: Dense;
  readonly memberMlp: Dense;
  readonly proposalMlp: Dense;
  readonly proposalObjectness: Dense;
  readonly proposalCenter: Dense;
  readonly proposalSize: Dense;
  readonly proposalClass: Dense;

  constructor(
    p: Params,
    readonly featureChannels: number,
    readonly numClasses: number,
    readonly config: DetHeadConfig,
  ) {
    const h = config.hidden;
    this.seedHidden = new Dense(p, 'head.seed.fc', featureChannels, h);
    this.seedObjectness = new Dense(p, 'head.seed.objectness', h, 1);
    this.seedClass = new Dense(p, 'head.seed.class', h, numClasses);
    this.seedVote = new Dense(p, 'head.seed.vote', h, 3, 0);
    this.memberMlp = new Dense(p, 'head.proposal.member_fc', featureChannels + 3, h);
    this.proposalMlp = new Dense(p, 'head.proposal.fc', h, h);
    // zero-initialised: a new proposal starts as its voted centre, the extent of its voters and
    // its members' mean seed objectness and class logits, and learns corrections
    this.proposalObjectness = new Dense(p, 'head.proposal.objectness', h, 2, 0, true);
    this.proposalCenter = new Dense(p, 'head.proposal.center', h, 3, 0, true);
    this.proposalSize = new Dense(p, 'head.proposal.size', h, 3, 0, true);
    this.proposalClass = new Dense(p, 'head.proposal.class', h, numClasses, 0, true);
  }

  /** Per-voxel objectness, class and vote offset from backbone features [N × C]. */
  seeds(features: tf.Tensor2D): SeedOutputs {
    const h = tf.relu(this.seedHidden.apply(features));
    return {
      objectness: tf.reshape(this.seedObjectness.apply(h), [-1]) as tf.Tensor1D,
      classLogits: this.seedClass.apply(h),
      offsets: this.seedVote.apply(h),
    };
  }

  /**
   * Proposals from grouped votes: members' (vote − centre)/radius and features → shared MLP →
   * max over members → MLP → centre residual and corrections of: the members' mean seed
   * objectness and class logits, and the log extent of the voxels that voted for the centre.
   */
  proposals(
    features: tf.Tensor2D,
    votes: tf.Tensor2D,
    seeds: SeedOutputs,
    groups: ProposalGroups,
  ): ProposalOutputs {
    const { nsample, radius } = this.config;
    // per-voxel predictions the proposal refines: objectness logit, log size, class logits
    let seedPred = tf.concat([tf.reshape(seeds.objectness, [-1, 1]), seeds.classLogits], 1) as tf.Tensor2D;
    if (this.config.detachProposals) {
      features = detach(features);
      votes = detach(votes);
      seedPred = detach(seedPred);
    }
    const p = groups.centres.length;
    const base = gatherRows(votes, groups.centres);
    if (p === 0) {
      const empty = (c: number) => tf.zeros([0, c]) as tf.Tensor2D;
      return {
        base,
        objectness: empty(2),
        center: empty(3),
        logSize: empty(3),
        classLogits: empty(this.numClasses),
      };
    }
    const owner = Int32Array.from({ length: p * nsample }, (_, i) => Math.floor(i / nsample));
    const rel = tf.div(
      tf.sub(gatherRows(votes, groups.members), gatherRows(base, owner)),
      radius,
    ) as tf.Tensor2D;
    const x = tf.concat([rel, gatherRows(features, groups.members)], 1);
    const h = tf.relu(this.memberMlp.apply(x));
    const pooled = tf.max(tf.reshape(h, [p, nsample, this.config.hidden]), 1) as tf.Tensor2D;
    const g = tf.relu(this.proposalMlp.apply(pooled));
    const d = this.numClasses;
    const m = tf.mean(
      tf.reshape(gatherRows(seedPred, groups.members), [p, nsample, 1 + d]),
      1,
    ) as tf.Tensor2D;
    const memberObj = tf.concat([tf.zeros([p, 1]), tf.slice(m, [0, 0], [p, 1])], 1);
    const logExtent = tf.tensor2d(
      Float32Array.from(groups.extent, (v) => Math.log(v / this.config.sizePrior)),
      [p, 3],
    );
    return {
      base,
      objectness: tf.add(memberObj, this.proposalObjectness.apply(g)),
      center: tf.add(base, this.proposalCenter.apply(g)),
      logSize: clipLogSize(tf.add(logExtent, this.proposalSize.apply(g))),
      classLogits: tf.add(tf.slice(m, [0, 1], [p, d]), this.proposalClass.apply(g)),
    };
  }
}
