import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePointCloud } from '../../../src/data/formats/index.js';
import { radiusPairs } from '../../../src/geometry/radius-search.js';
import { createBatchBuilder } from '../../../src/data/loader/build-batch.js';
import { parseLoaderConfig } from '../../../src/data/loader/config.js';
import { applyAffine, invertAffine } from '../../../src/core/affine.js';
import type { SceneSample } from '../../../src/data/loader/types.js';
import { requireShared } from '../../helpers/requires.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const scan = (s: string) => `${DATA}scannet/scans/${s}/${s}_vh_clean_2.labels.ply`;
const skipScan = requireShared(scan('scene0000_00'));
const skipPair = requireShared(`${DATA}3dmatch-pair/gt.txt`);

function readScene(name: string): SceneSample {
  const path = scan(name);
  const cloud = parsePointCloud(readFileSync(path), path);
  assert.ok(cloud.labels, 'the labels PLY has a label property');
  return { name, cloud };
}

describe('loader on the shared real scans', () => {
  test(
    'ScanNet scene0000_00 at 2 cm: voxels and collision labels equal a brute-force oracle',
    { skip: skipScan },
    () => {
      const s = readScene('scene0000_00');
      const n = s.cloud.positions.length / 3;
      assert.equal(n, 81_369);
      const b = createBatchBuilder(
        parseLoaderConfig({ voxelSize: 0.02, batchSize: 1, features: 'rgb' }),
      ).scenes([s], [0], 0, 0);
      // oracle: string-keyed map of floor(p / 0.02) → the label its labelled points agree on,
      // -1 once they disagree or when none is labelled (ignore-labelled points do not vote)
      const oracle = new Map<string, number>();
      const clash = new Set<string>();
      const p = s.cloud.positions;
      for (let i = 0; i < n; i++) {
        const key = [0, 1, 2].map((d) => Math.floor(p[i * 3 + d] * (1 / 0.02))).join();
        const l = s.cloud.labels![i];
        const prev = oracle.get(key);
        if (prev === undefined) oracle.set(key, -1);
        if (l === -1 || clash.has(key)) continue;
        if (prev === undefined || prev === -1) oracle.set(key, l);
        else if (prev !== l) {
          oracle.set(key, -1);
          clash.add(key);
        }
      }
      assert.equal(b.coords.length / 4, oracle.size);
      let collisions = 0;
      for (let r = 0; r < oracle.size; r++) {
        const key = `${b.coords[r * 4 + 1]},${b.coords[r * 4 + 2]},${b.coords[r * 4 + 3]}`;
        assert.equal(b.labels![r], oracle.get(key), `voxel ${key}`);
        if (b.labels![r] === -1) collisions++;
      }
      assert.ok(collisions > 0, 'a real scan has label collisions at 2 cm');
    },
  );

  test(
    'a batch of both ScanNet scenes: unique (b, x, y, z) rows and per-scene offsets',
    { skip: skipScan },
    () => {
      const scenes = [readScene('scene0000_00'), readScene('scene0000_01')];
      const cfg = parseLoaderConfig({ voxelSize: 0.05, batchSize: 2, pointToVoxel: true });
      const b = createBatchBuilder(cfg).scenes(scenes, [1, 2], 0, 0);
      const seen = new Set<string>();
      for (let r = 0; r < b.coords.length; r += 4) seen.add(Array.from(b.coords.subarray(r, r + 4)).join());
      assert.equal(seen.size, b.coords.length / 4);
      const single = scenes.map((s) => createBatchBuilder(cfg).scenes([s], [0], 0, 0).coords.length / 4);
      assert.deepEqual(Array.from(b.offsets), [0, single[0], single[0] + single[1]]);
      assert.equal(b.pointToVoxel![1].length, 80_583);
    },
  );

  test(
    '3DMatch pair: after independent random rotations per view, voxel correspondences still coincide when undone',
    { skip: skipPair },
    () => {
      const read = (f: string) => parsePointCloud(readFileSync(`${DATA}3dmatch-pair/${f}`), f).positions;
      const src = read('src.ply');
      const ref = read('ref.ply');
      const gt = readFileSync(`${DATA}3dmatch-pair/gt.txt`, 'utf8').trim().split(/\s+/).map(Number);
      const world = new Float32Array(src.length);
      for (let i = 0; i < src.length; i += 3) {
        for (let r = 0; r < 3; r++) {
          world[i + r] =
            gt[r * 4] * src[i] + gt[r * 4 + 1] * src[i + 1] + gt[r * 4 + 2] * src[i + 2] + gt[r * 4 + 3];
        }
      }
      const corr = radiusPairs(world, ref, 0.0375);
      const matched = new Set<number>();
      for (let k = 0; k < corr.length; k += 2) matched.add(corr[k]);
      assert.ok(
        Math.abs(matched.size / (src.length / 3) - 0.401) < 0.002,
        'README: 40.1 % of src points matched',
      );
      const cfg = parseLoaderConfig({
        voxelSize: 0.025,
        batchSize: 1,
        features: 'ones',
        transforms: [{ type: 'center' }, { type: 'rotate', axis: 'random', range: [-Math.PI, Math.PI] }],
      });
      const b = createBatchBuilder(cfg).pairs(
        [{ name: '3dmatch', view0: { positions: world }, view1: { positions: ref }, corr }],
        [[7, 8]],
        0,
        0,
      );
      assert.ok(b.corr.length / 2 > 1000);
      const inv0 = invertAffine(b.view0.affine);
      const inv1 = invertAffine(b.view1.affine);
      const centre = (c: Int32Array, r: number) =>
        Float32Array.from([1, 2, 3], (d) => (c[r * 4 + d] + 0.5) * 0.025);
      let worst = 0;
      for (let q = 0; q < b.corr.length; q += 2) {
        const w0 = applyAffine(inv0, centre(b.view0.coords, b.corr[q]));
        const w1 = applyAffine(inv1, centre(b.view1.coords, b.corr[q + 1]));
        worst = Math.max(worst, Math.hypot(w0[0] - w1[0], w0[1] - w1[1], w0[2] - w1[2]));
      }
      // matched points are ≤ 3.75 cm apart; each voxel centre is within half a voxel diagonal of its point
      assert.ok(worst <= 0.0375 + Math.sqrt(3) * 0.025 + 1e-5, `worst ${worst}`);
    },
  );
});
