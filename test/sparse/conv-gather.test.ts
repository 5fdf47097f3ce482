/**
 * The gather-only sparse conv (GPU backends) equals the gather-GEMM-scatter conv (itself checked
 * against dense conv3d in conv.test.ts): outputs and gradients, for submanifold (k 3), stride-2
 * down and transposed up maps, on cpu; and it allocates no tensor that outlives the call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, rng, useBackend } from '../helpers/backends.js';
import { CoordSet } from '../../src/sparse/coord-set.js';
import { downsampleMap, submanifoldMap, transposeMap, type KernelMap } from '../../src/sparse/kernel-map.js';
import { sparseConvOp } from '../../src/sparse/conv-op.js';
import { neighbourRows, sparseConvGather } from '../../src/sparse/conv-gather.js';

function randomCoords(seed: number, batch: number, size: number, density: number): Int32Array {
  const r = rng(seed);
  const rows: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let x = 0; x < size; x++)
      for (let y = 0; y < size; y++) for (let z = 0; z < size; z++) if (r() < density) rows.push(b, x, y, z);
  return new Int32Array(rows);
}

function randn(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

type Conv = (f: tf.Tensor2D, w: tf.Tensor3D, m: KernelMap) => tf.Tensor2D;

function run(conv: Conv, map: KernelMap, cin: number, cout: number) {
  const f = randn(map.nIn * cin, 1);
  const w = randn(map.volume * cin * cout, 2);
  const r = randn(map.nOut * cout, 3);
  return tf.tidy(() => {
    const ft = tf.tensor2d(f, [map.nIn, cin]);
    const wt = tf.tensor3d(w, [map.volume, cin, cout]);
    const rt = tf.tensor2d(r, [map.nOut, cout]);
    const out = conv(ft, wt, map);
    const [df, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(conv(a as tf.Tensor2D, b as tf.Tensor3D, map), rt)),
    )([ft, wt]);
    return [out, df, dw].map((t) => t.dataSync() as Float32Array);
  });
}

test('gather-only conv equals the scatter conv (forward and gradients) on sub, down and up maps', async () => {
  await useBackend('cpu');
  const fine = CoordSet.fromBatchCoords(randomCoords(7, 2, 7, 0.3), 2);
  const down = downsampleMap(fine);
  const maps: [string, KernelMap][] = [
    ['submanifold k3', submanifoldMap(fine, 3)],
    ['down k2 s2', down.map],
    ['up k2 s2', transposeMap(down.map)],
  ];
  for (const [what, map] of maps) {
    const before = tf.memory().numTensors;
    const got = run(sparseConvGather, map, 5, 4);
    const want = run((f, w, m) => sparseConvOp(f, w, m, { generic: true }), map, 5, 4);
    ['forward', 'dL/dF', 'dL/dW'].forEach((name, i) => assertClose(got[i], want[i], 1e-5, `${what} ${name}`));
    assert.equal(tf.memory().numTensors, before, `${what}: no tensor leaked`);
  }
});

test('neighbour rows: every pair once, the zero row elsewhere', () => {
  const set = CoordSet.fromBatchCoords(new Int32Array([0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 5, 5]), 1);
  const map = submanifoldMap(set, 3);
  const nbrs = neighbourRows(map);
  let pairs = 0;
  nbrs.forEach((nbr, k) => {
    if (!nbr) return;
    for (let o = 0; o < map.nOut; o++) if (nbr[o] !== map.nIn) pairs++;
    assert.notEqual(k, map.identity);
  });
  assert.equal(pairs, map.inIdx.length);
  assert.equal(pairs, 2, 'only (0,0,0) and (1,0,0) are neighbours');
});
