/**
 * A plausibility check of a segmentation before it is shown: every confidence must be a finite
 * softmax maximum, i.e. in [1/K, 1]. Output read back as zeros (confidence 0, every point class 0),
 * NaN / ±Infinity, or values outside that range mean the backend computed or read something else
 * than the network. Platform-free.
 */

/** Rounding slack of float32 softmax sums. */
const SLACK = 1e-3;

/** Why the per-point output of a K-class segmentation is unusable, or null when it is plausible. */
export function predictionProblem(
  p: { pred: Int32Array; confidence: Float32Array },
  numClasses: number,
): string | null {
  const n = p.confidence.length;
  if (n === 0) return null;
  const low = 1 / numClasses - SLACK;
  let nonFinite = 0;
  let outside = 0;
  let firstOutside = 0;
  let badClass = 0;
  for (let i = 0; i < n; i++) {
    const c = p.confidence[i];
    if (!Number.isFinite(c)) nonFinite++;
    else if (c < low || c > 1 + SLACK) {
      if (outside++ === 0) firstOutside = c;
    }
    const k = p.pred[i];
    if (k < 0 || k >= numClasses) badClass++;
  }
  const of = (m: number) => `${m.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} points`;
  if (nonFinite) return `non-finite output (NaN or ±Infinity) for ${of(nonFinite)}`;
  if (outside)
    return `degenerate output: confidence ${firstOutside} for ${of(outside)} (a softmax maximum over ${numClasses} classes lies in [1/${numClasses}, 1])`;
  if (badClass) return `class ids outside 0…${numClasses - 1} for ${of(badClass)}`;
  return null;
}
