/**
 * VOC-style 3D detection metrics as VoteNet's `eval_det` computes them: per class, every
 * prediction of every scene in decreasing score, greedily matched to the unmatched ground-truth
 * box of highest IoU in its scene (IoU strictly above the threshold), AP = area under the
 * monotone precision envelope; mAP = mean over the classes that have ground truth. Platform-free.
 */
import { boxIoU, orderByScore, type DetBox, type GtBox } from './detection-boxes.js';

/** Ground truth and predictions of one scene (same frame, same label ids). */
export interface SceneDetections {
  gt: readonly GtBox[];
  pred: readonly DetBox[];
}

/**
 * VOC AP (`use_07_metric=False`): sentinels (0, 0) and (1, 0), the precision made monotone from
 * the right, then Σ Δrecall · precision where recall changes.
 */
export function vocAP(recall: ArrayLike<number>, precision: ArrayLike<number>): number {
  const n = recall.length;
  const mrec = new Float64Array(n + 2);
  const mpre = new Float64Array(n + 2);
  mrec[n + 1] = 1;
  for (let i = 0; i < n; i++) {
    mrec[i + 1] = recall[i];
    mpre[i + 1] = precision[i];
  }
  for (let i = n + 1; i > 0; i--) mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
  let ap = 0;
  for (let i = 0; i <= n; i++) if (mrec[i + 1] !== mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
  return ap;
}

/** The precision/recall curve of one class at one IoU threshold. */
export interface ClassCurve {
  /** Average precision; NaN when the class has no ground-truth box. */
  ap: number;
  /** Cumulative recall and precision after each prediction (in score order). */
  recall: Float64Array;
  precision: Float64Array;
  gt: number;
  predictions: number;
  truePositives: number;
}

/** Greedy matching and AP of class `label` over all scenes at `iouThreshold`. */
export function classCurve(
  scenes: readonly SceneDetections[],
  label: number,
  iouThreshold: number,
): ClassCurve {
  const gtBoxes: GtBox[][] = [];
  const matched: Uint8Array[] = [];
  let npos = 0;
  const preds: { scene: number; box: DetBox }[] = [];
  scenes.forEach((s, si) => {
    const g = s.gt.filter((b) => b.label === label);
    gtBoxes.push(g);
    matched.push(new Uint8Array(g.length));
    npos += g.length;
    for (const p of s.pred) if (p.label === label) preds.push({ scene: si, box: p });
  });
  const order = orderByScore(preds.map((p) => p.box.score));
  const nd = preds.length;
  const recall = new Float64Array(nd);
  const precision = new Float64Array(nd);
  let tp = 0;
  let fp = 0;
  for (let d = 0; d < nd; d++) {
    const { scene, box } = preds[order[d]];
    const g = gtBoxes[scene];
    let ovmax = -Infinity;
    let jmax = -1;
    for (let j = 0; j < g.length; j++) {
      const iou = boxIoU(box, g[j]);
      if (iou > ovmax) {
        ovmax = iou;
        jmax = j;
      }
    }
    if (ovmax > iouThreshold && !matched[scene][jmax]) {
      matched[scene][jmax] = 1;
      tp++;
    } else fp++;
    recall[d] = npos > 0 ? tp / npos : NaN;
    precision[d] = tp / Math.max(tp + fp, Number.EPSILON);
  }
  const ap = npos > 0 ? vocAP(recall, precision) : NaN;
  return { ap, recall, precision, gt: npos, predictions: nd, truePositives: tp };
}

/** One class's numbers in the metrics report (null where the class has no ground truth). */
export interface ClassMetrics {
  id: number;
  gt: number;
  predictions: number;
  ap25: number | null;
  ap50: number | null;
  recall25: number | null;
  recall50: number | null;
}

/** The detection report (`evaluate det --json` prints it). */
export interface DetectionMetrics {
  /** Mean AP over classes with ground truth at IoU 0.25 / 0.5 (null when no class has any). */
  mAP25: number | null;
  mAP50: number | null;
  /** Mean final recall over the same classes. */
  mAR25: number | null;
  mAR50: number | null;
  /** By class name. */
  per_class: Record<string, ClassMetrics>;
  /** Classes with at least one ground-truth box (the mean runs over these). */
  classesEvaluated: number;
  scenes: number;
}

const mean = (v: number[]): number | null => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

/** mAP@0.25 / @0.5 and per-class AP of predictions against ground truth over all scenes. */
export function evaluateDetections(
  scenes: readonly SceneDetections[],
  classes: readonly { id: number; name: string }[],
): DetectionMetrics {
  const per: Record<string, ClassMetrics> = {};
  const ap: Record<'25' | '50', number[]> = { '25': [], '50': [] };
  const ar: Record<'25' | '50', number[]> = { '25': [], '50': [] };
  for (const c of classes) {
    const at = (t: number) => classCurve(scenes, c.id, t);
    const c25 = at(0.25);
    const c50 = at(0.5);
    const has = c25.gt > 0;
    const finalRecall = (cc: ClassCurve) => (cc.predictions > 0 ? cc.recall[cc.predictions - 1] : 0);
    per[c.name] = {
      id: c.id,
      gt: c25.gt,
      predictions: c25.predictions,
      ap25: has ? c25.ap : null,
      ap50: has ? c50.ap : null,
      recall25: has ? finalRecall(c25) : null,
      recall50: has ? finalRecall(c50) : null,
    };
    if (has) {
      ap['25'].push(c25.ap);
      ap['50'].push(c50.ap);
      ar['25'].push(finalRecall(c25));
      ar['50'].push(finalRecall(c50));
    }
  }
  return {
    mAP25: mean(ap['25']),
    mAP50: mean(ap['50']),
    mAR25: mean(ar['25']),
    mAR50: mean(ar['50']),
    per_class: per,
    classesEvaluated: ap['25'].length,
    scenes: scenes.length,
  };
}
