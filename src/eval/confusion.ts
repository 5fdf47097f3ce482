/**
 * Semantic-segmentation metrics from a confusion matrix accumulated over all scenes
 * (PointContrast / Pointcept convention: not averaged per scene). Ground truth outside
 * [0, K) — the ignore label — is skipped.
 *
 * mIoU rule: the mean IoU over classes that occur in the ground truth *or* the prediction
 * (a class absent from both has no defined IoU and is left out, as `nanmean` does; a class
 * predicted but absent from the ground truth counts with IoU 0). mAcc: mean recall over classes
 * present in the ground truth. allAcc: correct / all non-ignored. All in percent.
 */

export interface SegMetrics {
  mIoU: number;
  mAcc: number;
  allAcc: number;
  /** IoU per class name (percent; null when undefined for that class). */
  per_class: Record<string, number | null>;
  /** Recall per class name (percent; null when the class is absent from the ground truth). */
  per_class_acc: Record<string, number | null>;
  /** Ground-truth points per class. */
  support: Record<string, number>;
  /** Non-ignored points evaluated. */
  points: number;
}

/** One off-diagonal entry of a class's row: predicted `as`, `share` percent of its points. */
export interface Confusion {
  as: string;
  share: number;
}

export class ConfusionMatrix {
  /** Row = ground truth, column = prediction. */
  readonly counts: Float64Array;

  constructor(readonly numClasses: number) {
    this.counts = new Float64Array(numClasses * numClasses);
  }

  /** Adds a scene: gt and pred per point/voxel (gt outside [0, K) ignored; pred must be in [0, K)). */
  add(gt: ArrayLike<number>, pred: ArrayLike<number>): void {
    if (gt.length !== pred.length)
      throw new RangeError(`confusion: ${gt.length} labels vs ${pred.length} predictions`);
    const k = this.numClasses;
    for (let i = 0; i < gt.length; i++) {
      const g = gt[i];
      if (g < 0 || g >= k) continue;
      const p = pred[i];
      if (p < 0 || p >= k) throw new RangeError(`confusion: prediction ${p} at ${i} outside [0, ${k})`);
      this.counts[g * k + p]++;
    }
  }

  /** The matrix as rows (ground truth) of columns (prediction), class ids in order: for JSON. */
  rows(): number[][] {
    const k = this.numClasses;
    return Array.from({ length: k }, (_, g) => Array.from(this.counts.subarray(g * k, g * k + k)));
  }

  /**
   * Where each ground-truth class's misclassified points went: for every class with points, the
   * `top` largest off-diagonal entries of its row as shares of the class's points (percent),
   * largest first, zeros left out.
   */
  confusedAs(names: readonly string[], top = 3): Record<string, Confusion[]> {
    const k = this.numClasses;
    const out: Record<string, Confusion[]> = {};
    for (let g = 0; g < k; g++) {
      let row = 0;
      for (let p = 0; p < k; p++) row += this.counts[g * k + p];
      if (row === 0) continue;
      const list: Confusion[] = [];
      for (let p = 0; p < k; p++) {
        const n = this.counts[g * k + p];
        if (p !== g && n > 0) list.push({ as: names[p] ?? `class${p}`, share: (100 * n) / row });
      }
      list.sort((a, b) => b.share - a.share);
      out[names[g] ?? `class${g}`] = list.slice(0, top);
    }
    return out;
  }

  merge(other: ConfusionMatrix): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
  }

  /** Metrics with class names (ids 0..K-1 in order). */
  metrics(names: readonly string[]): SegMetrics {
    const k = this.numClasses;
    const perClass: Record<string, number | null> = {};
    const perAcc: Record<string, number | null> = {};
    const support: Record<string, number> = {};
    let iouSum = 0;
    let iouN = 0;
    let accSum = 0;
    let accN = 0;
    let correct = 0;
    let total = 0;
    for (let c = 0; c < k; c++) {
      let row = 0;
      let col = 0;
      for (let j = 0; j < k; j++) {
        row += this.counts[c * k + j];
        col += this.counts[j * k + c];
      }
      const tp = this.counts[c * k + c];
      const union = row + col - tp;
      const name = names[c] ?? `class${c}`;
      support[name] = row;
      correct += tp;
      total += row;
      perClass[name] = union > 0 ? (100 * tp) / union : null;
      if (union > 0) {
        iouSum += tp / union;
        iouN++;
      }
      perAcc[name] = row > 0 ? (100 * tp) / row : null;
      if (row > 0) {
        accSum += tp / row;
        accN++;
      }
    }
    return {
      mIoU: iouN > 0 ? (100 * iouSum) / iouN : 0,
      mAcc: accN > 0 ? (100 * accSum) / accN : 0,
      allAcc: total > 0 ? (100 * correct) / total : 0,
      per_class: perClass,
      per_class_acc: perAcc,
      support,
      points: total,
    };
  }
}

/**
 * A fixed-width table of per-class IoU / accuracy / support for the terminal; with `confused`
 * ({@link ConfusionMatrix.confusedAs}) a last column names what each class is most often taken for.
 */
export function formatSegTable(m: SegMetrics, title = '', confused?: Record<string, Confusion[]>): string {
  const names = Object.keys(m.per_class);
  const w = Math.max(12, ...names.map((n) => n.length));
  const f = (v: number | null) => (v === null ? '     -' : v.toFixed(1).padStart(6));
  const head = `${'class'.padEnd(w)}    IoU    Acc     points${confused ? '   most often predicted as' : ''}`;
  const lines = [title, head].filter((l) => l !== '');
  for (const n of names) {
    const as = (confused?.[n] ?? []).map((c) => `${c.as} ${c.share.toFixed(0)} %`).join(', ');
    lines.push(
      `${n.padEnd(w)} ${f(m.per_class[n])} ${f(m.per_class_acc[n])} ${String(m.support[n]).padStart(10)}${as ? `   ${as}` : ''}`,
    );
  }
  lines.push(
    `${'mean'.padEnd(w)} ${f(m.mIoU)} ${f(m.mAcc)} ${String(m.points).padStart(10)}   (allAcc ${m.allAcc.toFixed(1)})`,
  );
  return lines.join('\n');
}
