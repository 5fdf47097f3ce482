/**
 * RGB-D frames rendered from a synthetic scene's parametric surfaces (src/data/synth), written in
 * ScanNet's export layout and read back: ≥ 99 % of the back-projected points lie within 2 cm of
 * the scene's sampled points, and `data pairs --from rgbd` turns the sequence into pairs.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backProjectDepth, intrinsicsFromFov } from '../../../src/geometry/camera.js';
import { RadiusIndex } from '../../../src/geometry/radius-search.js';
import { indexedMesh, renderRgbdFrame, roomTrajectory } from '../../../src/data/rgbd/render.js';
import { openRgbdScene, writeRgbdFrame, writeRgbdIntrinsics } from '../../../src/data/rgbd/scannet-layout.js';
import { generateScene, surfaceMesh } from '../../../src/data/synth/index.js';
import { generatePairs } from '../../../src/data/pairs/generate.js';
import { openPairDataset } from '../../../src/data/pairs/reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'pc-rgbd-synth-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('RGB-D frames rendered from a synthetic scene', () => {
  // a small bathroom, densely sampled without noise so the sampled points are the oracle surface
  const scene = generateScene({ seed: 2, pointsPerM2: 6000, noise: 0 });
  const dir = join(tmp, scene.name);
  const k = intrinsicsFromFov(160, 120, 58);
  const mesh = indexedMesh(surfaceMesh(scene.surfaces, 48));
  const poses = roomTrajectory(scene.room, 12);
  poses.forEach((pose, i) => writeRgbdFrame(dir, i, renderRgbdFrame(mesh, k, pose)));
  writeRgbdIntrinsics(dir, k);

  test('≥ 99 % of back-projected points lie within 2 cm of the sampled scene', () => {
    const s = openRgbdScene(dir);
    const index = new RadiusIndex(scene.cloud.positions, 0.02);
    let total = 0;
    let near = 0;
    for (const id of s.frameIds) {
      const f = s.readFrame(id, { color: true })!;
      assert.ok(f.color, 'colour frame written and read');
      const { positions } = backProjectDepth(f.depth, s.intrinsics, f.pose);
      total += positions.length / 3;
      near += index.countWithin(positions);
    }
    assert.ok(total > 12 * 160 * 120 * 0.9, `only ${total} valid pixels`);
    assert.ok(near / total >= 0.99, `${((100 * near) / total).toFixed(2)} % within 2 cm`);
  });

  test('data pairs --from rgbd: every consecutive frame pair is kept (overlap ≥ 30 %)', async () => {
    const out = join(tmp, 'pairs');
    const r = await generatePairs({ from: 'rgbd', root: tmp, out, frameSkip: 1 });
    const ds = openPairDataset(out);
    assert.equal(r.manifest.totals.scenes, 1);
    const kept = new Set(ds.manifest.pairs.map((p) => p.views.join('-')));
    for (let i = 0; i + 1 < 12; i++) {
      const key = `${String(i).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`;
      assert.ok(kept.has(key), `consecutive frames ${key} missing`);
    }
    const p = ds.read(0);
    assert.ok(p.corr.length > 0 && p.view0.colors !== undefined);
  });
});
