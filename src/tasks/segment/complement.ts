/**
 * The complement rule (docs/benchmarks.md, "A complement rule calibrated on the training
 * labels"): a network fine-tuned on real labels decides among the classes those labels have;
 * its synthetic-supervised init decides whether a point is one of the classes they lack (ABSENT).
 * Platform-free: probability arrays in, predictions out.
 *
 * - Calibration: every labelled training point is, by definition, one of the present classes, so
 *   the threshold τ_a of absent class a is the (1 − rate) quantile of the init's q(a) over those
 *   points (at most a share `rate` of them would be called a). No labelled point: τ = +∞.
 * - Prediction: a point takes the init's own prediction a* when a* is absent and q(a*) ≥ τ_{a*},
 *   else the fine-tuned network's best present class; then an absent class given to fewer than a
 *   share `minShare` of the scene's points is taken back (a few scattered points are noise, and
 *   per-scene mIoU would count them as a whole class at 0 IoU).
 */

/** The rule's two free values: `rate` (calibration) and `minShare` (of a scene's points). */
export interface ComplementValues {
  rate: number;
  minShare: number;
}

/** Their defaults; how they were chosen, and on what, is in docs/benchmarks.md. */
export const COMPLEMENT_DEFAULTS: Readonly<ComplementValues> = { rate: 0.005, minShare: 0.01 };

/** Per-absent-class scores of the init over labelled training points, then their thresholds. */
export class AbsentCalibration {
  private readonly scores: number[][];

  /** `absent`: class ids; `k`: the number of classes of the probability rows. */
  constructor(
    readonly absent: readonly number[],
    private readonly k: number,
  ) {
    this.scores = absent.map(() => []);
  }

  /**
   * Adds one scene: `q` the init's probabilities (N×k), `labels` its train ids (< 0 unlabelled);
   * labels in `skip` (classes held out of training) are not used.
   */
  add(q: Float32Array, labels: Int32Array, skip: ReadonlySet<number> = new Set()): void {
    const { k } = this;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l < 0 || skip.has(l)) continue;
      this.absent.forEach((a, j) => this.scores[j].push(q[i * k + a]));
    }
  }

  /** τ per absent class (in `absent` order) for a share `rate` ∈ [0, 1]. */
  thresholds(rate: number): Float64Array {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`complement rate: expected 0..1, got ${rate}`);
    return Float64Array.from(this.scores, (s) => {
      if (s.length === 0) return Infinity;
      const sorted = Float64Array.from(s).sort();
      return sorted[Math.min(sorted.length - 1, Math.floor((1 - rate) * sorted.length))];
    });
  }
}

/** What the rule applies: its absent classes, their thresholds and the minimum share of a scan. */
export interface ComplementRule {
  /** Class ids without a labelled training point. */
  absent: readonly number[];
  /** τ per absent class, in `absent` order. */
  thresholds: ArrayLike<number>;
  minShare: number;
}

/**
 * The complement rule's predictions (train ids) of one scene's N points: `f` the fine-tuned
 * network's probabilities, `q` the init's (N×k each).
 */
export function complementPredict(
  f: Float32Array,
  q: Float32Array,
  k: number,
  rule: ComplementRule,
): Int32Array {
  const { absent, thresholds, minShare } = rule;
  const n = f.length / k;
  const slot = new Int32Array(k).fill(-1);
  absent.forEach((a, j) => (slot[a] = j));
  const present = new Int32Array(n);
  const pred = new Int32Array(n);
  const count = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let p = -1;
    let s = 0;
    for (let c = 0; c < k; c++) {
      if (slot[c] < 0 && (p < 0 || f[i * k + c] > f[i * k + p])) p = c;
      if (q[i * k + c] > q[i * k + s]) s = c;
    }
    present[i] = p;
    const j = slot[s];
    pred[i] = j >= 0 && q[i * k + s] >= thresholds[j] ? s : p;
    count[pred[i]]++;
  }
  for (let i = 0; i < n; i++) if (slot[pred[i]] >= 0 && count[pred[i]] < minShare * n) pred[i] = present[i];
  return pred;
}

/**
 * The rule's prediction and confidence of every point: the probability the deciding network (the
 * init for an absent class, the fine-tuned network otherwise) gives the predicted class.
 */
export function complementResult(
  f: Float32Array,
  q: Float32Array,
  k: number,
  rule: ComplementRule,
): { pred: Int32Array; confidence: Float32Array } {
  const pred = complementPredict(f, q, k, rule);
  const isAbsent = new Uint8Array(k);
  for (const a of rule.absent) isAbsent[a] = 1;
  const confidence = new Float32Array(pred.length);
  for (let i = 0; i < pred.length; i++) confidence[i] = (isAbsent[pred[i]] ? q : f)[i * k + pred[i]];
  return { pred, confidence };
}
