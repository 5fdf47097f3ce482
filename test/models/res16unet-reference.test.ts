/**
 * Res16UNet against MinkowskiEngine's definition, written out here independently of
 * src/models/registry.ts and res16unet.ts: (1) every parameter's name and shape, stage by stage,
 * from Res16UNetBase.network_initialization (PLANES, LAYERS, INIT_DIM, skip widths
 * PLANES[4] + PLANES[2], PLANES[5] + PLANES[1], PLANES[6] + PLANES[0], PLANES[7] + INIT_DIM) and
 * the exact totals; (2) a small net's forward (eval mode) equal to a dense reference of the
 * reference forward's wiring: tf.conv3d / depth-to-space on a 16³ grid restricted to the active
 * sites of each stride, so a skip taken from the wrong layer changes the output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Params } from '../../src/models/params.js';
import { Res16UNet, type UNetOptions, type UNetSpec } from '../../src/models/res16unet.js';
import { BACKBONES } from '../../src/models/registry.js';
import { SparseTensor } from '../../src/sparse/sparse-tensor.js';
import { TEST_BACKENDS, assertClose, rng, useBackend } from '../helpers/backends.js';
import {
  denseFilter,
  fromDense,
  selection,
  toDense,
  upDepthToSpace,
  type Grid,
} from '../sparse/dense-oracle.js';

type Planes = UNetSpec['planes'];
type Layers = UNetSpec['layers'];

/** MinkowskiEngine's constants (models/res16unet.py). */
const ME = {
  Res16UNet14A: { planes: [32, 64, 128, 256, 128, 128, 96, 96], layers: [1, 1, 1, 1, 1, 1, 1, 1] },
  Res16UNet18A: { planes: [32, 64, 128, 256, 128, 128, 96, 96], layers: [2, 2, 2, 2, 2, 2, 2, 2] },
  Res16UNet34C: { planes: [32, 64, 128, 256, 256, 128, 96, 96], layers: [2, 3, 4, 6, 2, 2, 2, 2] },
} as const;
const INIT_DIM = 32;

/** Every parameter (name → shape) of MinkowskiEngine's Res16UNet in our naming and weight layout. */
function referenceShapes(
  planes: readonly number[],
  layers: readonly number[],
  initDim: number,
  inCh: number,
  outCh: number,
  stemKernel = 3,
): Map<string, number[]> {
  const m = new Map<string, number[]>();
  const bn = (name: string, c: number) => {
    for (const k of ['gamma', 'beta', 'moving_mean', 'moving_variance']) m.set(`${name}.${k}`, [c]);
  };
  let inplanes = initDim;
  // _make_layer: the first BasicBlock maps inplanes → planes (1×1 conv + BN projection when they
  // differ), the others planes → planes
  const makeLayer = (name: string, p: number, n: number) => {
    for (let i = 0; i < n; i++) {
      const cin = i === 0 ? inplanes : p;
      m.set(`${name}.${i}.conv1.weight`, [27, cin, p]);
      bn(`${name}.${i}.bn1`, p);
      m.set(`${name}.${i}.conv2.weight`, [27, p, p]);
      bn(`${name}.${i}.bn2`, p);
      if (cin !== p) {
        m.set(`${name}.${i}.downsample.conv.weight`, [1, cin, p]);
        bn(`${name}.${i}.downsample.bn`, p);
      }
    }
    inplanes = p;
  };
  m.set('conv0p1s1.weight', [stemKernel ** 3, inCh, initDim]);
  bn('bn0', initDim);
  for (const [i, name] of ['conv1p1s2', 'conv2p2s2', 'conv3p4s2', 'conv4p8s2'].entries()) {
    m.set(`${name}.weight`, [8, inplanes, inplanes]);
    bn(`bn${i + 1}`, inplanes);
    makeLayer(`block${i + 1}`, planes[i], layers[i]);
  }
  const skipWidth = [planes[2], planes[1], planes[0], initDim];
  for (const [i, name] of ['convtr4p16s2', 'convtr5p8s2', 'convtr6p4s2', 'convtr7p2s2'].entries()) {
    m.set(`${name}.weight`, [8, inplanes, planes[4 + i]]);
    bn(`bntr${i + 4}`, planes[4 + i]);
    inplanes = planes[4 + i] + skipWidth[i];
    makeLayer(`block${i + 5}`, planes[4 + i], layers[4 + i]);
  }
  m.set('final.weight', [planes[7], outCh]);
  m.set('final.bias', [outCh]);
  return m;
}

const OPTS: UNetOptions = {
  inChannels: 3,
  outChannels: 20,
  stemKernel: 3,
  bnMomentum: 0.02,
  blockBnMomentum: 0.1,
  normalize: false,
};

function ourShapes(spec: UNetSpec, opts: UNetOptions): Map<string, number[]> {
  const p = new Params({ allocate: false });
  new Res16UNet(p, spec, opts);
  return new Map(p.specs.map((s) => [s.name, [...s.shape]]));
}

const trainableCount = (m: Map<string, number[]>) =>
  [...m.entries()]
    .filter(([k]) => !/moving_(mean|variance)$/.test(k))
    .reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);

test('every layer of 14A / 18A / 34C has the MinkowskiEngine shape; exact totals', () => {
  // trainable scalars at 3 input channels and 20 classes (the sums of the shapes above; ME's
  // published sizes are 37.85M / 15.5M / 8.0M)
  const totals = { Res16UNet34C: 37_846_644, Res16UNet18A: 15_483_764, Res16UNet14A: 8_015_092 };
  for (const [name, me] of Object.entries(ME) as [keyof typeof ME, (typeof ME)[keyof typeof ME]][]) {
    const want = referenceShapes(me.planes, me.layers, INIT_DIM, 3, 20);
    const got = ourShapes(BACKBONES[name], OPTS);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${name}: parameter names`);
    for (const [k, shape] of want) assert.deepEqual(got.get(k), shape, `${name}: ${k}`);
    assert.equal(trainableCount(want), totals[name], `${name}: total`);
    const p = new Params({ allocate: false });
    new Res16UNet(p, BACKBONES[name], OPTS);
    assert.equal(p.count(), totals[name], `${name}: Params.count()`);
  }
});

// ---- a small net against the dense reference ----

const SMALL: UNetSpec = {
  planes: [6, 8, 10, 12, 10, 8, 6, 5] as unknown as Planes,
  layers: [1, 2, 1, 1, 1, 1, 2, 1] as unknown as Layers,
  initDim: 4,
};
const SMALL_OPTS: UNetOptions = { ...OPTS, inChannels: 3, outChannels: 7, normalize: true };
const G: Grid = { batch: 2, size: 16 };

/** Distinct active voxels in a 16³ grid, two batch items. */
function activeCoords(seed: number, perItem: number): Int32Array {
  const r = rng(seed);
  const rows: number[] = [];
  for (let b = 0; b < G.batch; b++) {
    const seen = new Set<number>();
    while (seen.size < perItem) {
      const v = [Math.floor(r() * 16), Math.floor(r() * 16), Math.floor(r() * 16)];
      const key = (v[0] * 16 + v[1]) * 16 + v[2];
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push(b, ...v);
    }
  }
  return new Int32Array(rows);
}

/** Active sites at stride `s`: the distinct floor(c / s)·s of the fine sites (MinkowskiEngine's coarsening). */
function coarsen(coords: Int32Array, s: number): Int32Array {
  const seen = new Set<string>();
  const rows: number[] = [];
  for (let i = 0; i < coords.length; i += 4) {
    const c = [coords[i], ...[1, 2, 3].map((k) => Math.floor(coords[i + k] / s) * s)];
    const key = c.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(...c);
    }
  }
  return new Int32Array(rows);
}

/**
 * The reference forward (Res16UNetBase.forward, eval mode) with dense ops: rows at each stride
 * are scattered into the grid of that stride, convolved, and read back at the output stride's
 * active sites.
 */
function denseReference(p: Params, x: tf.Tensor2D, coords: Int32Array): tf.Tensor2D {
  const strides = [1, 2, 4, 8, 16];
  const sites = new Map(strides.map((s) => [s, coarsen(coords, s)]));
  const sel = new Map(strides.map((s) => [s, selection(sites.get(s)!, G, s)]));
  const w = (name: string) => p.get(`${name}.weight`);
  const conv3 = (f: tf.Tensor2D, name: string, s: number) =>
    fromDense(
      tf.conv3d(toDense(f, sel.get(s)!, G, s), denseFilter(w(name) as tf.Tensor3D, 3), 1, 'same'),
      sel.get(s)!,
    );
  const down = (f: tf.Tensor2D, name: string, s: number) =>
    fromDense(
      tf.conv3d(toDense(f, sel.get(s)!, G, s), denseFilter(w(name) as tf.Tensor3D, 2), 2, 'valid'),
      sel.get(2 * s)!,
    );
  const up = (f: tf.Tensor2D, name: string, s: number) =>
    fromDense(upDepthToSpace(toDense(f, sel.get(s)!, G, s), w(name) as tf.Tensor3D), sel.get(s / 2)!);
  const bn = (f: tf.Tensor2D, name: string) => {
    const g = (k: string) => p.get(`${name}.${k}`) as tf.Tensor1D;
    const scale = tf.div(g('gamma'), tf.sqrt(tf.add(g('moving_variance'), 1e-5)));
    return tf.add(tf.mul(tf.sub(f, g('moving_mean')), scale), g('beta')) as tf.Tensor2D;
  };
  const block = (f: tf.Tensor2D, name: string, n: number, s: number) => {
    for (let i = 0; i < n; i++) {
      const b = `${name}.${i}`;
      let out = tf.relu(bn(conv3(f, `${b}.conv1`, s), `${b}.bn1`)) as tf.Tensor2D;
      out = bn(conv3(out, `${b}.conv2`, s), `${b}.bn2`);
      const cout = out.shape[1];
      const res = p.has(`${b}.downsample.conv.weight`)
        ? bn(tf.matMul(f, tf.reshape(w(`${b}.downsample.conv`), [f.shape[1], cout])), `${b}.downsample.bn`)
        : f;
      f = tf.relu(tf.add(out, res)) as tf.Tensor2D;
    }
    return f;
  };
  const L = SMALL.layers;
  const outP1 = tf.relu(bn(conv3(x, 'conv0p1s1', 1), 'bn0')) as tf.Tensor2D;
  let out = tf.relu(bn(down(outP1, 'conv1p1s2', 1), 'bn1')) as tf.Tensor2D;
  const outB1P2 = block(out, 'block1', L[0], 2);
  out = tf.relu(bn(down(outB1P2, 'conv2p2s2', 2), 'bn2')) as tf.Tensor2D;
  const outB2P4 = block(out, 'block2', L[1], 4);
  out = tf.relu(bn(down(outB2P4, 'conv3p4s2', 4), 'bn3')) as tf.Tensor2D;
  const outB3P8 = block(out, 'block3', L[2], 8);
  out = tf.relu(bn(down(outB3P8, 'conv4p8s2', 8), 'bn4')) as tf.Tensor2D;
  out = block(out, 'block4', L[3], 16);
  out = tf.relu(bn(up(out, 'convtr4p16s2', 16), 'bntr4')) as tf.Tensor2D;
  out = block(tf.concat([out, outB3P8], 1), 'block5', L[4], 8);
  out = tf.relu(bn(up(out, 'convtr5p8s2', 8), 'bntr5')) as tf.Tensor2D;
  out = block(tf.concat([out, outB2P4], 1), 'block6', L[5], 4);
  out = tf.relu(bn(up(out, 'convtr6p4s2', 4), 'bntr6')) as tf.Tensor2D;
  out = block(tf.concat([out, outB1P2], 1), 'block7', L[6], 2);
  out = tf.relu(bn(up(out, 'convtr7p2s2', 2), 'bntr7')) as tf.Tensor2D;
  out = block(tf.concat([out, outP1], 1), 'block8', L[7], 1);
  const y = tf.add(tf.matMul(out, p.get('final.weight')), p.get('final.bias')) as tf.Tensor2D;
  return tf.div(y, tf.add(tf.norm(y, 'euclidean', 1, true), 1e-8));
}

test('a small Res16UNet (eval mode) equals the dense reference of the reference wiring', async () => {
  await useBackend('cpu');
  const p = new Params({ seed: 11 });
  const net = new Res16UNet(p, SMALL, SMALL_OPTS);
  // batch-norm statistics and affine away from the identity, so every BN matters
  const r = rng(5);
  for (const s of p.specs) {
    if (!/\.(gamma|beta|moving_mean|moving_variance)$/.test(s.name)) continue;
    const lo = s.name.endsWith('moving_variance') ? 0.5 : s.name.endsWith('gamma') ? 0.7 : -0.3;
    p.get(s.name).assign(tf.tensor1d(Array.from({ length: s.shape[0] }, () => lo + 0.6 * r())));
  }
  const coords = activeCoords(3, 120);
  const n = coords.length / 4;
  const feats = Float32Array.from({ length: n * 3 }, () => r() * 2 - 1);
  const want = tf.tidy(() => denseReference(p, tf.tensor2d(feats, [n, 3]), coords).dataSync());
  // the reference must not be degenerate: every stride keeps several sites, outputs differ by row
  assert.ok(coarsen(coords, 8).length / 4 === 16, 'all 8 sites per item at stride 8');
  assert.ok(Math.abs(want[0] - want[7]) > 1e-3);
  for (const backend of TEST_BACKENDS) {
    await useBackend(backend);
    const got = tf.tidy(() =>
      net
        .forward(SparseTensor.fromCoords(coords, tf.tensor2d(feats, [n, 3]), G.batch), { training: false })
        .features.dataSync(),
    );
    assertClose(got, want, 1e-4, `${backend}: Res16UNet vs dense reference`);
  }
  p.dispose();
});
