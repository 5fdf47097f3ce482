/**
 * Every sparse convolution equals its dense counterpart (tf.conv3d / tf.conv3dTranspose)
 * restricted to the active sites: outputs and gradients w.r.t. features and weights, for several
 * batch items, channel counts, kernel sizes and dilations, on wasm and cpu. The dense oracle
 * always runs on cpu: tfjs-wasm 4.22's Conv3DBackpropInputV2 is wrong (see docs/sparse-engine.md).
 */
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { TEST_BACKENDS, assertClose, rng, useBackend } from '../helpers/backends.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { conv, convDown, convUp } from '../../src/sparse/ops.js';
import {
  denseFilter,
  expandDilated,
  fromDense,
  selection,
  toDense,
  upDepthToSpace,
  type Grid,
} from './dense-oracle.js';

const TOL = 1e-4;

function randomCoords(seed: number, g: Grid, density: number): Int32Array {
  const r = rng(seed);
  const rows: number[] = [];
  for (let b = 0; b < g.batch; b++)
    for (let x = 0; x < g.size; x++)
      for (let y = 0; y < g.size; y++)
        for (let z = 0; z < g.size; z++) if (r() < density) rows.push(b, x, y, z);
  return new Int32Array(rows);
}

function randn(n: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(r(), 1e-12);
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u));
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

type Fn = (f: tf.Tensor, w: tf.Tensor) => tf.Tensor;

interface Result {
  out: Float32Array;
  df: Float32Array;
  dw: Float32Array;
}

/** Forward and the gradients of sum(fn(f, w) · r) on the current backend. */
function evaluate(
  fn: Fn,
  f: Float32Array,
  fShape: number[],
  w: Float32Array,
  wShape: number[],
  r: Float32Array,
): Result {
  return tf.tidy(() => {
    const ft = tf.tensor(f, fShape);
    const wt = tf.tensor(w, wShape);
    const out = fn(ft, wt);
    const rt = tf.tensor(r, out.shape);
    const [df, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fn(a, b), rt)))([ft, wt]);
    return {
      out: out.dataSync() as Float32Array,
      df: df.dataSync() as Float32Array,
      dw: dw.dataSync() as Float32Array,
    };
  });
}

function compare(got: Result, want: Result, what: string): void {
  assertClose(got.out, want.out, TOL, `${what} forward`);
  assertClose(got.df, want.df, TOL, `${what} dL/dF`);
  assertClose(got.dw, want.dw, TOL, `${what} dL/dW`);
}

const SUBMANIFOLD = [
  { batch: 2, size: 6, cin: 3, cout: 4, kernel: 3, dilation: 1, density: 0.3 },
  { batch: 1, size: 7, cin: 1, cout: 8, kernel: 3, dilation: 2, density: 0.4 },
  { batch: 3, size: 5, cin: 5, cout: 2, kernel: 5, dilation: 1, density: 0.35 },
  { batch: 2, size: 8, cin: 16, cout: 16, kernel: 3, dilation: 1, density: 0.15 },
];

test('submanifold conv equals dense conv3d on active sites (outputs and gradients)', async () => {
  for (const [ci, c] of SUBMANIFOLD.entries()) {
    const g: Grid = { batch: c.batch, size: c.size };
    const coords = randomCoords(10 + ci, g, c.density);
    const n = coords.length / 4;
    const vol = c.kernel ** 3;
    const f = randn(n * c.cin, 1);
    const w = randn(vol * c.cin * c.cout, 2);
    const r = randn(n * c.cout, 3);
    const what = `case ${ci} (k=${c.kernel} d=${c.dilation} ${c.cin}→${c.cout}, n=${n})`;

    await useBackend('cpu');
    const sel = selection(coords, g);
    // Forward oracle: tf.conv3d with dilation. Gradient oracle: the same conv with the dilated
    // kernel expanded to an undilated one (tfjs has no conv3d gradient for dilation > 1).
    const denseForward = tf.tidy(() => {
      const x = toDense(tf.tensor2d(f, [n, c.cin]), sel, g);
      const wd = denseFilter(tf.tensor3d(w, [vol, c.cin, c.cout]), c.kernel);
      return fromDense(tf.conv3d(x, wd, 1, 'same', 'NDHWC', c.dilation), sel).dataSync() as Float32Array;
    });
    const dense: Fn = (ff, ww) => {
      const { weight, kernel } = expandDilated(ww as tf.Tensor3D, c.kernel, c.dilation);
      return fromDense(
        tf.conv3d(toDense(ff as tf.Tensor2D, sel, g), denseFilter(weight, kernel), 1, 'same'),
        sel,
      );
    };
    const want = evaluate(dense, f, [n, c.cin], w, [vol, c.cin, c.cout], r);
    assertClose(want.out, denseForward, TOL, `${what} expanded-kernel oracle vs tf.conv3d`);
    sel.dispose();

    for (const backend of TEST_BACKENDS) {
      await useBackend(backend);
      const sparse: Fn = (ff, ww) =>
        conv(
          SparseTensor.fromCoords(coords, ff as tf.Tensor2D, c.batch),
          ww as tf.Tensor3D,
          c.kernel,
          c.dilation,
        ).features;
      compare(evaluate(sparse, f, [n, c.cin], w, [vol, c.cin, c.cout], r), want, `${backend} ${what}`);
    }
  }
});

test('stride-2 conv (k=2) and transposed conv onto cached finer coordinates equal dense ops', async () => {
  for (const [ci, c] of [
    { batch: 2, size: 8, cin: 3, cout: 5, density: 0.25 },
    { batch: 1, size: 6, cin: 8, cout: 8, density: 0.5 },
  ].entries()) {
    const g: Grid = { batch: c.batch, size: c.size };
    const coords = randomCoords(30 + ci, g, c.density);
    const n = coords.length / 4;
    await useBackend('cpu');
    const coarseCoords = SparseTensor.fromCoords(coords, tf.zeros([n, 1]), c.batch).manager.coordsAt(
      2,
    ).coords;
    const m = coarseCoords.length / 4;
    const what = `case ${ci} (n=${n}, m=${m})`;
    const selFine = selection(coords, g);
    const selCoarse = selection(coarseCoords, g, 2);

    // Down: fine [n×cin] → coarse [m×cout].
    const fd = randn(n * c.cin, 4);
    const wd = randn(8 * c.cin * c.cout, 5);
    const rd = randn(m * c.cout, 6);
    const denseDown: Fn = (ff, ww) =>
      fromDense(
        tf.conv3d(toDense(ff as tf.Tensor2D, selFine, g), denseFilter(ww as tf.Tensor3D, 2), 2, 'valid'),
        selCoarse,
      );
    const wantDown = evaluate(denseDown, fd, [n, c.cin], wd, [8, c.cin, c.cout], rd);

    // Up: coarse [m×cin] → fine [n×cout]. Forward oracle tf.conv3dTranspose; gradient oracle the
    // same map as depth-to-space of a per-voxel product (tfjs has no conv3dTranspose gradient).
    const fu = randn(m * c.cin, 7);
    const wu = randn(8 * c.cin * c.cout, 8);
    const ru = randn(n * c.cout, 9);
    const upForward = tf.tidy(() => {
      const xc = toDense(tf.tensor2d(fu, [m, c.cin]), selCoarse, g, 2);
      const filt = tf.transpose(
        denseFilter(tf.tensor3d(wu, [8, c.cin, c.cout]), 2),
        [0, 1, 2, 4, 3],
      ) as tf.Tensor5D;
      const y = tf.conv3dTranspose(xc, filt, [c.batch, c.size, c.size, c.size, c.cout], 2, 'valid');
      return fromDense(y, selFine).dataSync() as Float32Array;
    });
    const denseUp: Fn = (ff, ww) =>
      fromDense(upDepthToSpace(toDense(ff as tf.Tensor2D, selCoarse, g, 2), ww as tf.Tensor3D), selFine);
    const wantUp = evaluate(denseUp, fu, [m, c.cin], wu, [8, c.cin, c.cout], ru);
    assertClose(wantUp.out, upForward, TOL, `${what} depth-to-space oracle vs tf.conv3dTranspose`);
    selFine.dispose();
    selCoarse.dispose();

    for (const backend of TEST_BACKENDS) {
      await useBackend(backend);
      const base = () => SparseTensor.fromCoords(coords, tf.zeros([n, 1]), c.batch);
      const sparseDown: Fn = (ff, ww) =>
        convDown(base().withFeatures(ff as tf.Tensor2D), ww as tf.Tensor3D).features;
      compare(
        evaluate(sparseDown, fd, [n, c.cin], wd, [8, c.cin, c.cout], rd),
        wantDown,
        `${backend} ${what} down`,
      );
      const sparseUp: Fn = (ff, ww) =>
        convUp(base().atStride(ff as tf.Tensor2D, 2), ww as tf.Tensor3D).features;
      compare(
        evaluate(sparseUp, fu, [m, c.cin], wu, [8, c.cin, c.cout], ru),
        wantUp,
        `${backend} ${what} up`,
      );
    }
  }
});
