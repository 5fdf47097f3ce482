/**
 * Error classification of a prediction against ground truth, per point: correct, wrong or
 * ignored (gt negative or equal to the ignore label). The error shader applies the same rule.
 */

/** Error categories, in legend order. */
export const ERROR_KINDS = ['correct', 'wrong', 'ignored'] as const;

/** 0 = correct, 1 = wrong, 2 = ignored. */
export type ErrorKind = 0 | 1 | 2;

/** Classifies one point. */
export function errorKind(pred: number, gt: number, ignoreLabel: number): ErrorKind {
  if (gt < 0 || gt === ignoreLabel) return 2;
  return pred === gt ? 0 : 1;
}

/** Counts correct / wrong / ignored points; `accuracy` = correct / (correct + wrong), NaN when none. */
export function errorCounts(
  pred: Int32Array,
  gt: Int32Array,
  ignoreLabel: number,
): { correct: number; wrong: number; ignored: number; accuracy: number } {
  if (pred.length !== gt.length) throw new Error(`pred has ${pred.length} points but gt has ${gt.length}`);
  const counts = [0, 0, 0];
  for (let i = 0; i < pred.length; i++) counts[errorKind(pred[i], gt[i], ignoreLabel)]++;
  const [correct, wrong, ignored] = counts;
  return { correct, wrong, ignored, accuracy: correct / (correct + wrong) };
}
