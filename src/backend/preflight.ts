/**
 * Preflight: one forward + backward pass of a tiny sparse network on the active backend, run
 * at start so a missing kernel is reported by name before any real work instead of mid-epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { CoordSet } from '../sparse/coord-set.js';
import { submanifoldMap } from '../sparse/kernel-map.js';
import { sparseConvOp } from '../sparse/conv-op.js';

/** Thrown when the backend cannot run an op the framework needs. */
export class PreflightError extends Error {}

function tinyCoords(): Int32Array {
  const rows: number[] = [];
  for (let b = 0; b < 2; b++)
    for (let x = 0; x < 4; x++)
      for (let y = 0; y < 4; y++)
        for (let z = 0; z < 2; z++) if ((x + y + z + b) % 3 !== 0) rows.push(b, x, y, z);
  return new Int32Array(rows);
}

/** Runs the check; throws PreflightError naming the missing kernel or a non-finite result. */
export function preflight(): void {
  const set = CoordSet.fromBatchCoords(tinyCoords());
  const map = submanifoldMap(set, 3);
  try {
    tf.tidy(() => {
      const f = tf.randomUniform([set.size, 3], -1, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.variable(tf.randomUniform([27, 3, 4], -0.5, 0.5, 'float32', 2)) as tf.Variable<tf.Rank.R3>;
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.relu(sparseConvOp(f, w, map));
        const rows = tf.gather(h, tf.tensor1d([0, 2, 4], 'int32'));
        const { mean, variance } = tf.moments(h, 0);
        return tf.add(tf.mean(tf.logSoftmax(rows)), tf.sum(tf.add(mean, variance)));
      }, [w]);
      const g = grads[w.name].dataSync();
      if (!Number.isFinite(value.dataSync()[0]) || !g.every(Number.isFinite)) {
        throw new PreflightError('preflight: non-finite loss or gradient on a tiny sparse net');
      }
      w.dispose();
    });
  } catch (e) {
    if (e instanceof PreflightError) throw e;
    const msg = (e as Error).message;
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec(msg);
    throw new PreflightError(
      m
        ? `preflight: backend '${m[2]}' lacks kernel '${m[1]}' needed for training; try --backend cpu`
        : `preflight failed on backend '${tf.getBackend()}': ${msg}`,
    );
  }
}
