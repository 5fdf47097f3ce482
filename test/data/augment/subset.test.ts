import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cropIndices, dropoutIndices, kthSmallest } from '../../../src/data/augment/subset.js';
import { Rng } from '../../../src/core/rng.js';
import { randomCloud, run } from './helpers.js';

describe('dropout', () => {
  test('keeps exactly floor(N·(1−ratio)) distinct ascending indices, each point with rate 1−ratio', () => {
    const n = 1000;
    const kept = new Int32Array(n);
    const trials = 400;
    const rng = new Rng(1);
    for (let t = 0; t < trials; t++) {
      const idx = dropoutIndices(n, 0.2, rng);
      assert.equal(idx.length, 800);
      for (let i = 1; i < idx.length; i++) assert.ok(idx[i] > idx[i - 1]);
      for (const i of idx) kept[i]++;
    }
    let min = 1;
    let max = 0;
    for (const k of kept) {
      min = Math.min(min, k / trials);
      max = Math.max(max, k / trials);
    }
    assert.ok(min > 0.7 && max < 0.9, `per-point keep rate in [${min}, ${max}]`);
  });

  test('the configured step drops with probability p and carries every attribute and the index map', () => {
    const c = randomCloud(500, 2);
    let applied = 0;
    for (let seed = 0; seed < 1000; seed++) {
      const s = run(c, [{ type: 'dropout', ratio: 0.2, p: 0.2 }], seed);
      if (s.index) {
        applied++;
        const n = s.index.length;
        assert.equal(n, 400);
        assert.equal(s.cloud.positions.length, 3 * n);
        for (let k = 0; k < n; k++) {
          const i: number = s.index[k];
          assert.equal(s.cloud.positions[3 * k + 2], c.positions[3 * i + 2]);
          assert.equal(s.cloud.colors![3 * k + 1], c.colors![3 * i + 1]);
          assert.equal(s.cloud.normals![3 * k], c.normals![3 * i]);
          assert.equal(s.cloud.labels![k], c.labels![i]);
          assert.equal(s.cloud.instances![k], c.instances![i]);
          assert.equal(s.cloud.properties!.intensity[k], i);
        }
      }
    }
    assert.ok(Math.abs(applied / 1000 - 0.2) < 0.035, `applied ${applied}`);
  });

  test('two subsetting steps compose their index maps', () => {
    const c = randomCloud(300, 3);
    const s = run(
      c,
      [
        { type: 'dropout', ratio: 0.5 },
        { type: 'dropout', ratio: 0.5 },
      ],
      4,
    );
    assert.equal(s.index!.length, 75);
    for (let k = 0; k < 75; k++) assert.equal(s.cloud.properties!.intensity[k], s.index![k]);
  });
});

describe('crop', () => {
  test('kthSmallest agrees with sorting', () => {
    const r = new Rng(5);
    for (let t = 0; t < 50; t++) {
      const n = 1 + r.int(300);
      const v = new Float64Array(n).map(() => r.int(40)); // many ties
      const sorted = v.slice().sort();
      const k = r.int(n);
      assert.equal(kthSmallest(v.slice(), k), sorted[k]);
    }
  });

  test('sphere and box crops match a brute-force filter; maxPoints keeps the nearest', () => {
    const c = randomCloud(3000, 6);
    const p = c.positions;
    const [cx, cy, cz] = [2, 2, 2];
    const d = (i: number) => Math.hypot(p[3 * i] - cx, p[3 * i + 1] - cy, p[3 * i + 2] - cz);
    const all = Array.from({ length: 3000 }, (_, i) => i);
    const sphere = all.filter((i) => d(i) <= 1);
    assert.deepEqual(Array.from(cropIndices(p, cx, cy, cz, { shape: 'sphere', radius: 1 })), sphere);
    const box = all.filter(
      (i) =>
        Math.abs(p[3 * i] - cx) <= 0.5 &&
        Math.abs(p[3 * i + 1] - cy) <= 1 &&
        Math.abs(p[3 * i + 2] - cz) <= 1.5,
    );
    assert.deepEqual(Array.from(cropIndices(p, cx, cy, cz, { shape: 'box', size: [1, 2, 3] })), box);
    const nearest = all
      .slice()
      .sort((a, b) => d(a) - d(b))
      .slice(0, 100)
      .sort((a, b) => a - b);
    const got = cropIndices(p, cx, cy, cz, { shape: 'sphere', maxPoints: 100 });
    assert.deepEqual(Array.from(got), nearest);
    const capped = cropIndices(p, cx, cy, cz, { shape: 'sphere', radius: 1, maxPoints: 50 });
    assert.equal(capped.length, 50);
    for (const i of capped) assert.ok(d(i) <= 1);
  });

  test('ties at the cut keep exactly maxPoints points', () => {
    const p = Float32Array.of(0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, 5);
    assert.deepEqual(Array.from(cropIndices(p, 0, 0, 0, { shape: 'sphere', maxPoints: 3 })), [0, 1, 2]);
  });

  test('the configured crop centres on a point of the cloud and keeps the index map', () => {
    const c = randomCloud(2000, 7);
    for (let seed = 0; seed < 10; seed++) {
      const s = run(c, [{ type: 'crop', shape: 'sphere', radius: 0.8, maxPoints: 150 }], seed);
      const n = s.index!.length;
      assert.ok(n > 0 && n <= 150);
      for (let k = 0; k < n; k++) assert.equal(s.cloud.properties!.intensity[k], s.index![k]);
    }
  });
});
