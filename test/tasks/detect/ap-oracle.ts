/**
 * An independent VOC AP (VoteNet's eval_det_cls, all-point interpolation) for checking the
 * detection pipeline's reported numbers: axis-aligned IoU, predictions of a class in decreasing
 * score over all scenes, each a true positive when its highest-IoU ground-truth box of that class
 * in its scene overlaps above the threshold and was not taken yet.
 */
interface Box {
  label: number;
  center: readonly number[];
  size: readonly number[];
}

function iou(a: Box, b: Box): number {
  let inter = 1;
  for (let d = 0; d < 3; d++) {
    const lo = Math.max(a.center[d] - a.size[d] / 2, b.center[d] - b.size[d] / 2);
    const hi = Math.min(a.center[d] + a.size[d] / 2, b.center[d] + b.size[d] / 2);
    inter *= Math.max(0, hi - lo);
  }
  const vol = (x: Box) => x.size[0] * x.size[1] * x.size[2];
  return inter > 0 ? inter / (vol(a) + vol(b) - inter) : 0;
}

/** AP of class `label` at IoU `threshold` over `scenes`; null when the class has no ground truth. */
export function referenceAP(
  scenes: readonly { gt: readonly Box[]; pred: readonly (Box & { score: number })[] }[],
  label: number,
  threshold: number,
): number | null {
  const gts = scenes.map((s) => s.gt.filter((b) => b.label === label));
  const npos = gts.reduce((s, g) => s + g.length, 0);
  if (npos === 0) return null;
  const taken = gts.map((g) => g.map(() => false));
  const dets = scenes
    .flatMap((s, scene) => s.pred.filter((b) => b.label === label).map((box) => ({ scene, box })))
    .map((d, i) => ({ ...d, i }))
    .sort((a, b) => b.box.score - a.box.score || a.i - b.i);
  let tp = 0;
  const recall: number[] = [];
  const precision: number[] = [];
  dets.forEach(({ scene, box }, k) => {
    const ious = gts[scene].map((g) => iou(box, g));
    const best = ious.length ? ious.indexOf(Math.max(...ious)) : -1;
    if (best >= 0 && ious[best] > threshold && !taken[scene][best]) {
      taken[scene][best] = true;
      tp++;
    }
    recall.push(tp / npos);
    precision.push(tp / (k + 1));
  });
  // area under the precision envelope: Σ Δrecall × (best precision at this recall or beyond)
  let ap = 0;
  let prev = 0;
  for (let k = 0; k < recall.length; k++) {
    if (recall[k] === prev) continue;
    ap += (recall[k] - prev) * Math.max(...precision.slice(k));
    prev = recall[k];
  }
  return ap;
}
