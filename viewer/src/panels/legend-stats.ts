/**
 * Numbers the legend shows: per-class point counts of gt and pred, and per-class IoU computed
 * from the points when the predictions index does not provide it.
 */

/** Point count per label value (sorted by label; negative labels included). */
export function labelHistogram(labels: Int32Array): Map<number, number> {
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const out = new Map<number, number>();
  if (labels.length === 0) return out;
  if (hi - lo < 1 << 20) {
    const counts = new Float64Array(hi - lo + 1);
    for (let i = 0; i < labels.length; i++) counts[labels[i] - lo]++;
    for (let k = 0; k < counts.length; k++) if (counts[k] > 0) out.set(k + lo, counts[k]);
    return out;
  }
  for (let i = 0; i < labels.length; i++) out.set(labels[i], (out.get(labels[i]) ?? 0) + 1);
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

/** Intersection over union per class, from points whose gt is not ignored. */
export interface IoUStats {
  /** IoU in 0..1 per class id that occurs in gt or pred (on non-ignored points). */
  perClass: Map<number, number>;
  /** Mean of perClass (NaN when empty). */
  mIoU: number;
}

/** Per-class IoU = TP / (TP + FP + FN), skipping points whose gt is negative or the ignore label. */
export function iouStats(pred: Int32Array, gt: Int32Array, ignoreLabel: number): IoUStats {
  if (pred.length !== gt.length) throw new Error(`pred has ${pred.length} points but gt has ${gt.length}`);
  const tp = new Map<number, number>();
  const fp = new Map<number, number>();
  const fn = new Map<number, number>();
  const bump = (m: Map<number, number>, k: number): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };
  // Dense counters for the usual small ids; the maps only see the rare large ones.
  const DENSE = 4096;
  const dTp = new Float64Array(DENSE);
  const dFp = new Float64Array(DENSE);
  const dFn = new Float64Array(DENSE);
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    if (g < 0 || g === ignoreLabel) continue;
    const p = pred[i];
    if (p === g) {
      if (g < DENSE) dTp[g]++;
      else bump(tp, g);
    } else {
      if (p >= 0 && p < DENSE) dFp[p]++;
      else bump(fp, p);
      if (g < DENSE) dFn[g]++;
      else bump(fn, g);
    }
  }
  for (let k = 0; k < DENSE; k++) {
    if (dTp[k]) tp.set(k, dTp[k]);
    if (dFp[k]) fp.set(k, dFp[k]);
    if (dFn[k]) fn.set(k, dFn[k]);
  }
  const ids = [...new Set([...tp.keys(), ...fp.keys(), ...fn.keys()])].sort((a, b) => a - b);
  const perClass = new Map<number, number>();
  let sum = 0;
  for (const id of ids) {
    const t = tp.get(id) ?? 0;
    const iou = t / (t + (fp.get(id) ?? 0) + (fn.get(id) ?? 0));
    perClass.set(id, iou);
    sum += iou;
  }
  return { perClass, mIoU: ids.length ? sum / ids.length : NaN };
}
