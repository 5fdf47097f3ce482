/**
 * From a detector pass to boxes: objectness × class probability scores, centre and size per
 * proposal, per-class 3D NMS (VoteNet: IoU 0.25), and `detectBoxes`, which runs a voxel batch
 * and returns each scene's boxes in its original metres frame in the viewer's format.
 */
import * as tf from '@tensorflow/tfjs';
import { invertAffine } from '../../core/affine.js';
import { nmsPerClass, transformBox, type DetBox } from '../../eval/detection-boxes.js';
import { tidyRead } from '../../sparse/read.js';
import { forwardDetector, type DetInput, type Detector, type DetectorPass } from './detector.js';

export interface DecodeOptions {
  /**
   * One box per class per proposal with score objectness·p(class) (VoteNet's evaluation setting,
   * best for AP), or only the most likely class (cleaner for viewing).
   */
  perClass: boolean;
  /** Boxes scoring below this are dropped before NMS. */
  minScore: number;
  /** Per-class NMS IoU threshold. */
  nmsIou: number;
  /** Keep at most this many boxes per scene (highest scores), null = all. */
  maxBoxes: number | null;
}

export const EVAL_DECODE: DecodeOptions = { perClass: true, minScore: 0.001, nmsIou: 0.25, maxBoxes: null };
export const VIEW_DECODE: DecodeOptions = { perClass: false, minScore: 0.05, nmsIou: 0.25, maxBoxes: 100 };

/** Boxes of every scene in the pass's (batch) frame; labels are train ids. */
export function decodeProposals(
  det: Detector,
  pass: DetectorPass,
  items: number,
  opts: DecodeOptions,
): DetBox[][] {
  const p = pass.groups.centres.length;
  const d = det.classIds.length;
  const obj = tidyRead(() => tf.softmax(pass.proposals.objectness));
  const cls = tidyRead(() => tf.softmax(pass.proposals.classLogits));
  const center = pass.proposals.center.dataSync();
  const logSize = pass.proposals.logSize.dataSync();
  const prior = det.head.config.sizePrior;
  const perScene: DetBox[][] = Array.from({ length: items }, () => []);
  for (let i = 0; i < p; i++) {
    const o = obj[i * 2 + 1];
    const c: [number, number, number] = [center[i * 3], center[i * 3 + 1], center[i * 3 + 2]];
    const s: [number, number, number] = [0, 1, 2].map((k) => prior * Math.exp(logSize[i * 3 + k])) as [
      number,
      number,
      number,
    ];
    const push = (k: number) => {
      const score = o * cls[i * d + k];
      if (score >= opts.minScore)
        perScene[pass.proposalItem[i]].push({ label: det.classIds[k], score, center: [...c], size: [...s] });
    };
    if (opts.perClass) for (let k = 0; k < d; k++) push(k);
    else {
      let best = 0;
      for (let k = 1; k < d; k++) if (cls[i * d + k] > cls[i * d + best]) best = k;
      push(best);
    }
  }
  return perScene.map((boxes) => {
    const kept = nmsPerClass(boxes, opts.nmsIou).map((i) => boxes[i]);
    return opts.maxBoxes === null ? kept : kept.slice(0, opts.maxBoxes);
  });
}

/** The batch fields `detectBoxes` needs: a DetInput plus each item's augmentation affine. */
export interface DetectBatch extends DetInput {
  /** B×12 row-major 3×4 affines (input metres → batch metres). */
  affine: Float64Array;
}

/**
 * Detects boxes in every scene of a voxel batch (inference mode) and returns them in each
 * scene's original frame: `{ label, score, center, size }` with train-id labels.
 */
export function detectBoxes(
  det: Detector,
  batch: DetectBatch,
  opts: DecodeOptions = VIEW_DECODE,
): DetBox[][] {
  const items = batch.offsets.length - 1;
  let out: DetBox[][] = [];
  tf.tidy(() => {
    out = decodeProposals(det, forwardDetector(det, batch, { training: false }), items, opts);
  });
  return out.map((boxes, b) => {
    const inv = invertAffine(batch.affine.subarray(b * 12, b * 12 + 12));
    return boxes.map((box) => transformBox(box, inv));
  });
}
