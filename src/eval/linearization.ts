/**
 * Finite-difference linearisation error of fine-tuning (the kernel view): with Δθ = θ_T − θ₀ and
 * per-voxel logits f, compares Δf = f(θ_T) − f(θ₀) with the JVP JΔθ ≈ [f(θ₀ + εΔθ) − f(θ₀)]/ε,
 * reporting ‖Δf − JΔθ‖/‖Δf‖ and how often argmax(f(θ₀) + JΔθ) = argmax f(θ_T).
 */
import * as tf from '@tensorflow/tfjs';

export interface LinearizationResult {
  /** ‖Δf − JΔθ‖₂ / ‖Δf‖₂ over all voxels and classes. */
  relError: number;
  /** Fraction of voxels whose linearised prediction has the fine-tuned argmax. */
  argmaxAgreement: number;
  /** ‖Δf‖₂ / √(rows) (how far fine-tuning moved the logits, per voxel). */
  deltaRms: number;
  rows: number;
}

function argmaxRow(a: ArrayLike<number>, off: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (a[off + c] > a[off + best]) best = c;
  return best;
}

/**
 * The measures from three evaluations of the logits ([rows×K] row-major): f(θ₀), f(θ₀ + εΔθ)
 * and f(θ_T).
 */
export function linearizationFromOutputs(
  f0: ArrayLike<number>,
  fEps: ArrayLike<number>,
  fT: ArrayLike<number>,
  eps: number,
  classes: number,
): LinearizationResult {
  if (!(eps > 0)) throw new RangeError(`linearization: ε must be > 0, got ${eps}`);
  if (f0.length !== fEps.length || f0.length !== fT.length || f0.length % classes !== 0)
    throw new Error(
      `linearization: outputs of ${f0.length}, ${fEps.length}, ${fT.length} values for ${classes} classes`,
    );
  const rows = f0.length / classes;
  let num = 0;
  let den = 0;
  let agree = 0;
  const lin = new Float64Array(classes);
  for (let i = 0; i < rows; i++) {
    const off = i * classes;
    for (let c = 0; c < classes; c++) {
      const df = fT[off + c] - f0[off + c];
      const jvp = (fEps[off + c] - f0[off + c]) / eps;
      num += (df - jvp) ** 2;
      den += df * df;
      lin[c] = f0[off + c] + jvp;
    }
    if (argmaxRow(lin, 0, classes) === argmaxRow(fT, off, classes)) agree++;
  }
  return {
    relError: den > 0 ? Math.sqrt(num / den) : 0,
    argmaxAgreement: rows > 0 ? agree / rows : 1,
    deltaRms: rows > 0 ? Math.sqrt(den / rows) : 0,
    rows,
  };
}

/** Sets every variable to θ₀ + t·(θ_T − θ₀) (t = 0 gives θ₀, t = 1 gives θ_T). */
export function setInterpolated(
  vars: readonly tf.Variable[],
  theta0: readonly tf.Tensor[],
  thetaT: readonly tf.Tensor[],
  t: number,
): void {
  if (vars.length !== theta0.length || vars.length !== thetaT.length)
    throw new Error(
      `setInterpolated: ${vars.length} variables, ${theta0.length} and ${thetaT.length} values`,
    );
  tf.tidy(() => {
    vars.forEach((v, i) => v.assign(tf.add(theta0[i], tf.mul(tf.sub(thetaT[i], theta0[i]), t))));
  });
}

/**
 * Runs the measure on any model: `logitsAt(t)` must evaluate the logits ([rows×K]) at
 * θ₀ + t·Δθ (e.g. after `setInterpolated`, inference mode, fixed inputs); it is called at
 * t = 0, ε and 1.
 */
export function finiteDifferenceLinearization(
  logitsAt: (t: number) => ArrayLike<number>,
  eps: number,
  classes: number,
): LinearizationResult {
  const f0 = Float64Array.from(logitsAt(0));
  const fEps = Float64Array.from(logitsAt(eps));
  const fT = Float64Array.from(logitsAt(1));
  return linearizationFromOutputs(f0, fEps, fT, eps, classes);
}
