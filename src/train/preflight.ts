/**
 * Preflight: one forward + backward pass of a tiny sparse U-Net (every op the framework trains
 * with: submanifold / strided / transposed convs, batch norm, concat, 1×1 layers, row gathers,
 * the contrastive and cross-entropy losses) on the active backend. Run at start so a missing
 * kernel is reported by name before any real work instead of mid-epoch.
 */
import * as tf from '@tensorflow/tfjs';
import { SparseTensor } from '../sparse/sparse-tensor.js';
import { architectureSchema, buildNetwork } from '../models/build.js';
import { pointInfoNCE } from '../losses/point-info-nce.js';
import { lossDefaults } from '../losses/registry.js';
import { Rng } from '../core/rng.js';

/** Thrown when the backend cannot run an op the framework needs. */
export class PreflightError extends Error {}

function tinyCoords(): Int32Array {
  const rows: number[] = [];
  for (let b = 0; b < 2; b++)
    for (let x = 0; x < 16; x += 1)
      for (let y = 0; y < 16; y += 3)
        for (let z = 0; z < 6; z += 2) if ((x * 7 + y * 3 + z + b) % 5 !== 0) rows.push(b, x, y, z);
  return new Int32Array(rows);
}

/** Runs the check; throws PreflightError naming the missing kernel or a non-finite result. */
export function preflight(): void {
  const coords = tinyCoords();
  const n = coords.length / 4;
  const net = buildNetwork(
    architectureSchema.parse({ backbone: 'Res16UNet14A-w4', inChannels: 3, outChannels: 8, normalize: true }),
    1,
  );
  const vars = net.params.trainable();
  try {
    tf.tidy(() => {
      const x = SparseTensor.fromCoords(coords, tf.randomUniform([n, 3], -1, 1, 'float32', 1) as tf.Tensor2D);
      const corr = new Int32Array(Array.from({ length: 40 }, (_, i) => [i, (i * 7) % n]).flat());
      const labels = tf.tensor1d(
        Array.from({ length: n }, (_, i) => i % 8),
        'int32',
      );
      const { value, grads } = tf.variableGrads(() => {
        const f = net.forward(x, { training: true }).features;
        const nce = pointInfoNCE(f, f, corr, new Rng(1), {
          ...lossDefaults('point-info-nce'),
          npos: 32,
        }).loss;
        const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 8), f);
        return tf.add(nce, ce) as tf.Scalar;
      }, vars);
      const ok =
        Number.isFinite(value.dataSync()[0]) &&
        Object.values(grads).every((g) => g.dataSync().every(Number.isFinite));
      if (!ok) throw new PreflightError('preflight: non-finite loss or gradient on a tiny sparse U-Net');
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
  } finally {
    net.params.dispose();
  }
}
