/**
 * The training task of 3D detection fine-tuning: backbone + voting head forward, vote and
 * proposal targets from the batch's per-voxel instances and augmented boxes, VoteNet's losses.
 */
import { buildDetector, type Detector } from '../../models/heads/detector.js';
import { detectionLoss } from '../../losses/detection.js';
import { proposalTargets, voxelTargets } from '../../losses/detection-targets.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { VoxelBatch } from '../../data/loader/types.js';
import { forwardDetector } from '../../models/heads/detector.js';
import { trainableNames } from '../../train/init.js';
import type { DetConfig } from './schema.js';
import type { StepResult, TrainTask } from '../../train/trainer.js';

/** The training task of detection fine-tuning. */
export class DetTask implements TrainTask<VoxelBatch> {
  readonly det: Detector;
  readonly params;
  readonly trainable: string[];

  constructor(
    readonly cfg: DetConfig,
    readonly classIds: readonly number[],
    voxelSize: number,
  ) {
    this.det = buildDetector(
      { ...cfg.model, outChannels: 1, normalize: false },
      cfg.head,
      classIds,
      voxelSize,
      cfg.seed,
    );
    this.params = this.det.params;
    this.trainable = trainableNames(this.params, cfg.freezeBackbone, ['head.']);
  }

  loss(batch: VoxelBatch, step: number): StepResult {
    if (!batch.boxes || !batch.instances) {
      throw new Error(
        `batch of ${batch.sceneNames.join(', ')} has no ${batch.boxes ? 'instance ids' : 'boxes'}; detection needs both`,
      );
    }
    const vt = voxelTargets(batch.instances, batch.offsets, batch.boxes, this.classIds);
    const rng = new Rng(deriveSeed(this.cfg.seed, step, 0xde7ec7));
    const pass = forwardDetector(this.det, batch, {
      training: !this.cfg.freezeBackbone,
      forceCandidates: vt.positive,
      shuffle: (a) => rng.shuffle(a),
    });
    const base = new Float32Array(pass.groups.centres.length * 3);
    pass.groups.centres.forEach((r, i) => base.set(pass.votesHost.subarray(r * 3, r * 3 + 3), i * 3));
    const l = this.cfg.loss;
    const pt = proposalTargets(base, pass.proposalItem, batch.boxes, this.classIds, {
      near: l.near,
      far: l.far,
      sizePrior: this.cfg.head.sizePrior,
    });
    const { loss, parts } = detectionLoss(pass, vt, pt, l);
    let seedCorrect = 0;
    for (let r = 0; r < vt.positive.length; r++)
      if (pass.objectnessHost[r] >= 0.5 === (vt.positive[r] === 1)) seedCorrect++;
    return {
      loss,
      metrics: {
        ...parts,
        voxels: vt.positive.length,
        objectVoxels: vt.count,
        seedObjAcc: vt.positive.length ? (100 * seedCorrect) / vt.positive.length : 0,
        proposals: pt.label.length,
        positiveProposals: pt.positives,
      },
    };
  }
}
