import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig, type LoaderConfigInput } from '../../../src/data/loader/config.js';
import { applyAffine, invertAffine } from '../../../src/core/affine.js';
import { augment, buildPipeline, parseTransforms } from '../../../src/data/augment/registry.js';
import { Rng } from '../../../src/core/rng.js';
import type { SceneSample } from '../../../src/data/loader/types.js';
import { toyPair, toyScene } from './toy-source.js';

const builder = (c: Partial<LoaderConfigInput>) =>
  createBatchBuilder(parseLoaderConfig({ voxelSize: 0.1, batchSize: 2, ...c }));

function rowsUnique(coords: Int32Array): boolean {
  const seen = new Set<string>();
  for (let r = 0; r < coords.length; r += 4)
    seen.add(`${coords[r]},${coords[r + 1]},${coords[r + 2]},${coords[r + 3]}`);
  return seen.size === coords.length / 4;
}

describe('scene batches', () => {
  test('voxel labels follow the collision rule; features are the first point of each voxel', () => {
    const s: SceneSample = {
      name: 'hand',
      cloud: {
        positions: Float32Array.of(
          0.1,
          0.1,
          0.1,
          0.5,
          0.5,
          0.5,
          1.2,
          0,
          0,
          1.8,
          0.1,
          0,
          5,
          5,
          5,
          0.9,
          0.2,
          0.3,
        ),
        colors: Uint8Array.of(255, 0, 51, 0, 0, 0, 10, 20, 30, 0, 0, 0, 0, 255, 0, 1, 1, 1),
        labels: Int32Array.of(2, 2, 3, 4, -1, 2),
      },
    };
    const b = builder({ voxelSize: 1, ignoreLabel: 255 }).scenes([s], [1], 0, 0);
    assert.deepEqual(Array.from(b.coords), [0, 0, 0, 0, 0, 1, 0, 0, 0, 5, 5, 5]);
    assert.deepEqual(Array.from(b.labels!), [2, 255, -1]); // agree → 2; 3 vs 4 → ignore; a lone -1 stays -1
    assert.deepEqual(
      Array.from(b.feats, (v) => +v.toFixed(4)),
      [0.5, -0.5, -0.3, 10 / 255 - 0.5, 20 / 255 - 0.5, 30 / 255 - 0.5, -0.5, 0.5, -0.5].map(
        (v) => +v.toFixed(4),
      ),
    );
    assert.equal(b.featDim, 3);
    assert.deepEqual(Array.from(b.offsets), [0, 3]);
  });

  test('feature modes: ones ×3 (PointContrast), rgb-normals ×6; missing colours is a named error', () => {
    const s = toyScene(0, { kind: 'scenes', count: 1, points: 500 });
    const ones = builder({ features: 'ones' }).scenes([s], [1], 0, 0);
    assert.equal(ones.featDim, 3);
    assert.ok(ones.feats.every((v) => v === 1));
    const rn = builder({ features: 'rgb-normals' }).scenes([s], [1], 0, 0);
    assert.equal(rn.featDim, 6);
    for (let r = 0; r < rn.feats.length / 6; r++)
      assert.deepEqual(Array.from(rn.feats.subarray(r * 6 + 3, r * 6 + 6)), [0, 0, 1]);
    assert.throws(
      () => builder({}).scenes([{ name: 'bare', cloud: { positions: new Float32Array(3) } }], [1], 0, 0),
      /bare: features 'rgb' need colours/,
    );
  });

  test('feature jitter: with p = 1, N(0, σ²) around the clean features', () => {
    const s = toyScene(1, { kind: 'scenes', count: 1, points: 4000 });
    const clean = builder({ features: 'ones' }).scenes([s], [3], 0, 0);
    const noisy = builder({ features: 'ones', featureJitter: { sigma: 0.01, p: 1 } }).scenes([s], [3], 0, 0);
    let s2 = 0;
    for (let i = 0; i < clean.feats.length; i++) s2 += (noisy.feats[i] - clean.feats[i]) ** 2;
    const sd = Math.sqrt(s2 / clean.feats.length);
    assert.ok(Math.abs(sd - 0.01) < 0.0008, `sd ${sd}`);
  });

  test('batch rows are unique (b, x, y, z); each item voxelises like its own cloud; pointToVoxel finds each point', () => {
    const o = { kind: 'scenes' as const, count: 3, points: 3000 };
    const samples = [toyScene(0, o), toyScene(1, o), toyScene(1, o)]; // the same scene twice: same voxels, other b
    const b = builder({
      pointToVoxel: true,
      transforms: [
        { type: 'rotate', axis: 'z', range: [-3.14, 3.14] },
        { type: 'dropout', ratio: 0.3 },
      ],
    }).scenes(samples, [5, 6, 6], 0, 0);
    assert.ok(rowsUnique(b.coords));
    assert.equal(b.offsets[2] - b.offsets[1], b.offsets[3] - b.offsets[2]);
    for (let item = 0; item < 3; item++) {
      for (let r = b.offsets[item]; r < b.offsets[item + 1]; r++) assert.equal(b.coords[r * 4], item);
      const map = b.pointToVoxel![item];
      assert.equal(map.length, 3000);
      const aff = b.affine.subarray(item * 12, item * 12 + 12);
      const moved = applyAffine(aff, samples[item].cloud.positions);
      let dropped = 0;
      for (let p = 0; p < 3000; p++) {
        const r = map[p];
        if (r < 0) {
          dropped++;
          continue;
        }
        assert.ok(r >= b.offsets[item] && r < b.offsets[item + 1]);
        for (let d = 0; d < 3; d++) {
          const q = moved[p * 3 + d] / 0.1;
          // the affine reproduces the augmented coordinate up to float32 rounding at a voxel border
          assert.ok(
            Math.abs(b.coords[r * 4 + 1 + d] - Math.floor(q)) <= (Math.abs(q - Math.round(q)) < 1e-3 ? 1 : 0),
          );
        }
      }
      assert.equal(dropped, 3000 - Math.floor(3000 * 0.7));
    }
  });

  test('boxes follow the augmentation', () => {
    const s = toyScene(0, { kind: 'scenes', count: 1, points: 100 });
    const b = builder({
      transforms: [{ type: 'rotate', axis: 'z', range: [Math.PI / 2, Math.PI / 2], center: 'origin' }],
    }).scenes([s], [1], 0, 0);
    const box = b.boxes![0][0];
    assert.deepEqual(
      box.center.map((v) => +v.toFixed(9)),
      [-1.5, 1.5, 1],
    );
    assert.deepEqual(
      box.size.map((v) => +v.toFixed(9)),
      [3, 3, 2],
    );
  });
});

describe('pair batches', () => {
  const o = { kind: 'pairs' as const, count: 4, points: 3000 };
  const items = [
    { type: 'rotate', axis: 'random', range: [-Math.PI, Math.PI] },
    { type: 'scale', range: [0.9, 1.1] },
    { type: 'flip' },
    { type: 'translate', x: [-1, 1], y: [-1, 1], z: [-1, 1] },
  ];

  test('point correspondences still coincide after undoing each view’s independent transform', () => {
    const steps = buildPipeline(parseTransforms(items));
    const p = toyPair(0, o);
    const a0 = augment({ positions: p.view0.positions }, steps, new Rng(11));
    const a1 = augment({ positions: p.view1.positions }, steps, new Rng(12));
    assert.notDeepEqual(Array.from(a0.affine), Array.from(a1.affine));
    const w0 = applyAffine(invertAffine(a0.affine), a0.cloud.positions);
    const w1 = applyAffine(invertAffine(a1.affine), a1.cloud.positions);
    let maxErr = 0;
    let maxRaw = 0;
    for (let k = 0; k < p.corr.length; k += 2) {
      const i = p.corr[k] * 3;
      const j = p.corr[k + 1] * 3;
      maxErr = Math.max(maxErr, Math.hypot(w0[i] - w1[j], w0[i + 1] - w1[j + 1], w0[i + 2] - w1[j + 2]));
      const c0 = a0.cloud.positions;
      const c1 = a1.cloud.positions;
      maxRaw = Math.max(maxRaw, Math.hypot(c0[i] - c1[j], c0[i + 1] - c1[j + 1], c0[i + 2] - c1[j + 2]));
    }
    assert.ok(p.corr.length > 1000);
    assert.ok(maxErr < 1e-5, `undone views disagree by ${maxErr}`);
    assert.ok(maxRaw > 0.5, 'the two views were transformed differently');
  });

  test('voxel correspondences: offsets applied, deduped, equal to the brute-force map through pointToVoxel, and spatially consistent', () => {
    const samples = [toyPair(0, o), toyPair(1, o), toyPair(2, o)];
    const b = builder({
      batchSize: 3,
      pointToVoxel: true,
      transforms: [...items, { type: 'dropout', ratio: 0.25 }],
    }).pairs(
      samples,
      samples.map((_, i) => [100 + i, 200 + i] as const),
      0,
      0,
    );
    assert.ok(rowsUnique(b.view0.coords) && rowsUnique(b.view1.coords));
    for (let item = 0; item < 3; item++) {
      const expect = new Set<string>();
      const { corr } = samples[item];
      const m0 = b.view0.pointToVoxel![item];
      const m1 = b.view1.pointToVoxel![item];
      let removed = 0;
      for (let k = 0; k < corr.length; k += 2) {
        const r = m0[corr[k]];
        const s = m1[corr[k + 1]];
        if (r < 0 || s < 0) removed++;
        else expect.add(`${r},${s}`);
      }
      assert.ok(removed > 0, 'dropout removed some correspondences');
      const got: string[] = [];
      for (let q = b.corrOffsets[item]; q < b.corrOffsets[item + 1]; q++)
        got.push(`${b.corr[q * 2]},${b.corr[q * 2 + 1]}`);
      assert.equal(new Set(got).size, got.length, 'no duplicates');
      assert.deepEqual(got.slice().sort(), [...expect].sort());
      // undo each view on the voxel corners: matched voxels are within a voxel diagonal (÷ min scale) in the world
      const inv0 = invertAffine(b.view0.affine.subarray(item * 12, item * 12 + 12));
      const inv1 = invertAffine(b.view1.affine.subarray(item * 12, item * 12 + 12));
      for (const pair of got) {
        const [r, s] = pair.split(',').map(Number);
        const c0 = Float32Array.from([1, 2, 3], (d) => (b.view0.coords[r * 4 + d] + 0.5) * 0.1);
        const c1 = Float32Array.from([1, 2, 3], (d) => (b.view1.coords[s * 4 + d] + 0.5) * 0.1);
        const w0 = applyAffine(inv0, c0);
        const w1 = applyAffine(inv1, c1);
        assert.ok(
          Math.hypot(w0[0] - w1[0], w0[1] - w1[1], w0[2] - w1[2]) <= (Math.sqrt(3) * 0.1) / 0.9 + 1e-6,
        );
      }
    }
    // sorted, rows within their item ranges
    for (let q = 0; q < b.corr.length / 2; q++) {
      const item = b.corrOffsets.findIndex((v, i) => i > 0 && q < v) - 1;
      assert.ok(b.corr[q * 2] >= b.view0.offsets[item] && b.corr[q * 2] < b.view0.offsets[item + 1]);
      assert.ok(b.corr[q * 2 + 1] >= b.view1.offsets[item] && b.corr[q * 2 + 1] < b.view1.offsets[item + 1]);
    }
  });

  test('bad correspondence indices name the pair and the entry', () => {
    const p = toyPair(0, { ...o, points: 100 });
    p.corr = Int32Array.of(0, 0, 5, 100000);
    assert.throws(
      () => builder({ batchSize: 1 }).pairs([p], [[1, 2]], 0, 0),
      /pair-0: correspondence 1 is \(5, 100000\), outside views/,
    );
  });
});
