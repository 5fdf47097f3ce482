/**
 * End to end: `generatePairs` over synthetic scenes and a folder of scans, the resume rules, the
 * worker path (identical bytes), and the streaming reader.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePairs, type GeneratePairsOptions } from '../../../src/data/pairs/generate.js';
import { openPairDataset } from '../../../src/data/pairs/reader.js';
import { virtualIntrinsics } from '../../../src/data/pairs/views.js';
import { generateScene } from '../../../src/data/synth/index.js';
import { writePointCloudPly } from '../../../src/data/io/read-cloud.js';
import { projectPoints } from '../../../src/geometry/camera.js';
import { RadiusIndex } from '../../../src/geometry/radius-search.js';
import { invertRigid } from '../../../src/geometry/rigid.js';
import { roomCloud } from './helpers/box-room.js';

const tmp = mkdtempSync(join(tmpdir(), 'pc-pairs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const base: GeneratePairsOptions = {
  from: 'synth',
  scenes: 2,
  viewsPerScene: 6,
  out: join(tmp, 'a'),
  seed: 3,
};

/** Brute-force correspondences of two views (the oracle). */
function brute(a: Float32Array, b: Float32Array, r: number): number {
  let n = 0;
  for (let i = 0; i < a.length; i += 3) {
    for (let j = 0; j < b.length; j += 3) {
      const dx = a[i] - b[j];
      const dy = a[i + 1] - b[j + 1];
      const dz = a[i + 2] - b[j + 2];
      if (dx * dx + dy * dy + dz * dz <= r * r) n++;
    }
  }
  return n;
}

describe('data pairs from synthetic scenes', async () => {
  const first = await generatePairs(base);
  const ds = openPairDataset(base.out);

  test('manifest: pairs with overlap ≥ 0.3, counts that match the files, settings recorded', () => {
    const m = first.manifest;
    assert.equal(m.totals.scenes, 2);
    assert.ok(m.totals.pairs >= 2, `only ${m.totals.pairs} pairs`);
    assert.equal(first.scenesGenerated, 2);
    assert.equal(m.settings.voxel, 0.025);
    assert.equal(m.settings.minOverlap, 0.3);
    for (let i = 0; i < ds.size; i++) {
      const e = ds.entry(i);
      const p = ds.read(i);
      assert.ok(e.overlap >= 0.3 && e.overlap <= 1);
      assert.equal(p.overlap, e.overlap);
      assert.equal(p.scene, e.scene);
      assert.deepEqual([p.view0.id, p.view1.id], e.views);
      assert.equal(readFileSync(join(base.out, e.file)).length, e.bytes);
      assert.ok(p.view0.colors && p.view0.colors.length === p.view0.positions.length);
    }
  });

  test('views are world-frame points of the scene, inside their camera frustum', () => {
    const scene = generateScene({ seed: 3 });
    const index = new RadiusIndex(scene.cloud.positions, 1e-3);
    const k = virtualIntrinsics();
    const p = ds.read(0);
    for (const v of [p.view0, p.view1]) {
      const n = v.positions.length / 3;
      assert.equal(
        index.countWithin(v.positions),
        n,
        'every stored point is (within 1 mm) a point of the scan',
      );
      const uvz = projectPoints(v.positions, k, invertRigid(v.pose));
      for (let i = 0; i < n; i++) {
        const [u, w, z] = [uvz[i * 3], uvz[i * 3 + 1], uvz[i * 3 + 2]];
        assert.ok(
          z > 0.3 && z <= 5 + 1e-4 && u > -0.5 && u < k.width - 0.5 && w > -0.5 && w < k.height - 0.5,
          `point ${i}: ${u},${w},${z}`,
        );
      }
      const height = v.pose[11] - scene.room.min[2];
      assert.ok(height >= 1.2 && height <= 1.8, `camera height ${height}`);
    }
  });

  test('correspondences: every pair within 3.75 cm, and as many as brute force finds', () => {
    const p = ds.read(0);
    const r = 0.0375;
    assert.equal(p.radius, r);
    const a = p.view0.positions;
    const b = p.view1.positions;
    for (let q = 0; q < p.corr.length; q += 2) {
      const i = p.corr[q] * 3;
      const j = p.corr[q + 1] * 3;
      assert.ok(Math.hypot(a[i] - b[j], a[i + 1] - b[j + 1], a[i + 2] - b[j + 2]) <= r + 1e-9);
    }
    assert.equal(p.corr.length / 2, brute(a, b, r));
  });

  test('re-running skips finished scenes; a lost pair file is regenerated with identical bytes', async () => {
    const again = await generatePairs(base);
    assert.equal(again.scenesGenerated, 0);
    assert.equal(again.scenesSkipped, 2);
    assert.deepEqual(again.manifest, first.manifest);
    const e = ds.entry(0);
    const bytes = readFileSync(join(base.out, e.file));
    unlinkSync(join(base.out, e.file));
    const third = await generatePairs(base);
    assert.equal(third.scenesGenerated, 1);
    assert.deepEqual(readFileSync(join(base.out, e.file)), bytes);
  });

  test('a different setting on the same folder is refused, naming the keys', async () => {
    await assert.rejects(
      generatePairs({ ...base, minOverlap: 0.5 }),
      /pairs\.json: generated with other settings \(minOverlap: 0\.3 → 0\.5\)/,
    );
    await assert.rejects(
      generatePairs({ ...base, out: join(tmp, 'x'), voxel: -1 }),
      /--voxel: expected a positive size in metres, got -1/,
    );
  });

  test('worker threads produce byte-identical files', async () => {
    const out = join(tmp, 'w');
    const r = await generatePairs({ ...base, out, workers: 2 });
    assert.deepEqual(r.manifest.pairs, first.manifest.pairs);
    for (const e of r.manifest.pairs)
      assert.deepEqual(readFileSync(join(out, e.file)), readFileSync(join(base.out, e.file)), e.file);
  });

  test('the streaming reader yields the pairs in the requested order, then reports bad indices', async () => {
    const order = Array.from({ length: ds.size }, (_, i) => ds.size - 1 - i);
    let k = 0;
    for await (const p of ds.stream(order)) {
      const e = ds.entry(order[k++]);
      assert.deepEqual([p.view0.id, p.view1.id], e.views);
    }
    assert.equal(k, ds.size);
    assert.throws(() => ds.read(ds.size), /pair index \d+ outside/);
    assert.throws(() => openPairDataset(tmp), /no pairs\.json/);
  });
});

describe('data pairs from a folder of scans', () => {
  test('virtual views of a PLY scan (room bounds estimated from the points)', async () => {
    const root = join(tmp, 'scans');
    writePointCloudPly(join(root, 'room.ply'), roomCloud(0.03));
    writeFileSync(join(root, 'room.labels.ply'), 'ignored: ScanNet label copies are skipped');
    const out = join(tmp, 'scan-pairs');
    const r = await generatePairs({ from: 'scans', root, out, viewsPerScene: 6, seed: 1 });
    assert.equal(r.manifest.totals.scenes, 1);
    assert.equal(r.manifest.scenes[0].key, 'room');
    assert.ok(r.manifest.totals.pairs >= 1);
    assert.ok(existsSync(join(out, 'room', 'scene.json')));
    const p = openPairDataset(out).read(0);
    assert.equal(p.scene, 'room');
    await assert.rejects(
      generatePairs({ from: 'scans', root: join(tmp, 'nope'), out }),
      /--root .*nope: not a folder/,
    );
  });
});
