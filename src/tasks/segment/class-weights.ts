/**
 * The per-class weights of the segmentation loss (`loss.classWeights`): given as a list, or
 * `inverse-sqrt`, computed from the training labels: w_c = √(m / n_c), n_c the labelled points of
 * class c in the training scenes (the prepared manifest's histograms, held-out classes removed)
 * and m the median of n_c over the classes that have labels. Classes without a label get 1 (no
 * point carries them). The loss is the weighted mean, so only the ratios matter. Platform-free.
 */

/** Weighting rules computed from the training labels. */
export const CLASS_WEIGHTINGS = ['inverse-sqrt'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

/** `loss.classWeights` as the config holds it. */
export type ClassWeightsSpec = readonly number[] | ClassWeighting | null;

/** Inverse-square-root-frequency weights of a label histogram (median class → 1). */
export function inverseSqrtWeights(histogram: readonly number[]): number[] {
  const present = histogram.filter((n) => n > 0).sort((a, b) => a - b);
  if (present.length === 0) return histogram.map(() => 1);
  const mid = present.length >> 1;
  const median = present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
  return histogram.map((n) => (n > 0 ? Math.sqrt(median / n) : 1));
}

/**
 * The weights the loss uses for `numClasses` classes, from the spec and the training labels'
 * histogram (needed for a computed rule only); throws naming `loss.classWeights`.
 */
export function resolveClassWeights(
  spec: ClassWeightsSpec,
  numClasses: number,
  histogram?: () => readonly number[],
): number[] | null {
  if (spec === null) return null;
  if (typeof spec !== 'string') {
    if (spec.length !== numClasses)
      throw new Error(
        `loss.classWeights: ${spec.length} weights for ${numClasses} classes (expected one per class)`,
      );
    return [...spec];
  }
  const h = histogram?.();
  if (!h || h.length !== numClasses)
    throw new Error(
      `loss.classWeights: '${spec}' needs the training labels' histogram of ${numClasses} classes`,
    );
  return inverseSqrtWeights(h);
}
