/**
 * Row-wise log-sum-exp with a hand-written gradient, for the contrastive losses' [n × n]
 * logits. The forward is tf.logSumExp's own sequence of ops. tfjs's autodiff of it builds an
 * `equal` mask of the whole matrix for the max shift (≈ 3 s for 4096² on wasm) and a JS-filled
 * ones matrix for the sum; here the same values come from the saved exponentials, and the max
 * shift's term (zero but for rounding) is added on each row's maxima in one pass over host
 * memory, so the gradient equals the autodiff one bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { phase } from '../sparse/phases.js';
import { hostBackend } from '../sparse/host-backend.js';

/** dx = da + [x == rowMax]·dMax, where `da` is a fresh [n × m] tensor (updated in place on host backends). */
function addOnMaxima(da: tf.Tensor2D, x: tf.Tensor2D, rowMax: tf.Tensor, dMax: tf.Tensor): tf.Tensor2D {
  const host = hostBackend();
  if (!host) return tf.add(da, tf.mul(dMax, tf.cast(tf.equal(x, rowMax), 'float32')));
  const [n, m] = x.shape;
  const xv = host.f32(x);
  const mv = host.f32(rowMax);
  const dv = host.f32(dMax);
  const out = host.f32(da); // created by the caller and not shared yet
  for (let i = 0, r = 0; i < n; i++, r += m) {
    const top = mv[i];
    for (let j = r; j < r + m; j++) if (xv[j] === top) out[j] += dv[i];
  }
  return da;
}

const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor2D;
  const xMax = tf.max(x, 1, true);
  const b = tf.exp(tf.sub(x, xMax));
  const c = tf.sum(b, 1);
  const value = tf.add(tf.reshape(xMax, c.shape), tf.log(c)) as tf.Tensor1D;
  (args[1] as tf.GradSaveFunc)([x, xMax, b, c]);
  return {
    value,
    gradFunc: (dy, saved) =>
      phase('loss', () => {
        const [sx, sMax, sb, sc] = saved;
        // through log and sum: exp(x − max)·dy/c, the softmax term
        const da = tf.mul(sb, tf.reshape(tf.div(dy as tf.Tensor, sc), [-1, 1])) as tf.Tensor2D;
        // through the max shift: dy − Σ_j da_ij, onto the row's maxima
        const dMax = tf.sub(tf.reshape(dy as tf.Tensor, [-1, 1]), tf.reshape(tf.sum(da, 1), [-1, 1]));
        return addOnMaxima(da, sx as tf.Tensor2D, sMax, dMax);
      }),
  };
});

/**
 * log Σ_j exp(x_ij) for each row i of a 2-D tensor → [rows]; `direct: false` takes tf.logSumExp
 * and its autodiff instead of the hand-written gradient (the earlier path, same values).
 */
export function logSumExpRows(x: tf.Tensor2D, direct = true): tf.Tensor1D {
  return direct ? (op(x) as tf.Tensor1D) : tf.logSumExp(x, 1);
}
