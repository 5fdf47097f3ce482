/**
 * RGB-D frames rendered from a procedural room, written in ScanNet's export layout (depth PNG
 * uint16 mm, pose and intrinsic text), read back and back-projected: the points must land on the
 * room's surfaces, and consecutive frames must form ≥ 30 %-overlap pairs.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backProjectDepth, intrinsicsFromFov } from '../../../src/geometry/camera.js';
import { RadiusIndex } from '../../../src/geometry/radius-search.js';
import { renderRgbdFrame, roomTrajectory } from '../../../src/data/rgbd/render.js';
import {
  openRgbdScene,
  parseMatrix4,
  writeRgbdFrame,
  writeRgbdIntrinsics,
} from '../../../src/data/rgbd/scannet-layout.js';
import { rgbdViews } from '../../../src/data/pairs/rgbd-views.js';
import { overlappingPairs } from '../../../src/data/pairs/make-pairs.js';
import { distanceToRoom, roomCloud, roomMesh, ROOM } from './helpers/box-room.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-rgbd-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const scene = join(dir, 'scene0001_00');
const k = intrinsicsFromFov(160, 120, 60);
const poses = roomTrajectory(ROOM, 32);
const mesh = roomMesh();
// frames named by their original index, every 5th exported (as ScanNet's reader does with --frame_skip)
for (let i = 0; i < poses.length; i++) writeRgbdFrame(scene, i * 5, renderRgbdFrame(mesh, k, poses[i]));
writeRgbdIntrinsics(scene, k);

describe('RGB-D frames in ScanNet layout', () => {
  test('layout files: 4×4 text intrinsics with fx, fy, cx, cy; poses round-trip exactly', () => {
    const K = parseMatrix4(readFileSync(join(scene, 'intrinsic', 'intrinsic_depth.txt'), 'utf8'), 'K');
    assert.deepEqual([K[0], K[5], K[2], K[6], K[10], K[15]], [k.fx, k.fy, k.cx, k.cy, 1, 1]);
    const s = openRgbdScene(scene);
    assert.deepEqual(
      s.frameIds,
      Array.from({ length: 32 }, (_, i) => i * 5),
    );
    assert.deepEqual(s.intrinsics, k);
    const f = s.readFrame(35, { color: true })!;
    assert.deepEqual(f.pose, poses[7]);
    assert.equal(f.color?.length, 160 * 120 * 3);
    assert.equal(s.readFrame(35)!.color, undefined);
  });

  test('back-projected frames land on the surfaces: ≥ 99 % within 1 cm of a surface and 2 cm of a sampled point', () => {
    const s = openRgbdScene(scene);
    const sampled = new RadiusIndex(roomCloud(0.02).positions, 0.02);
    let total = 0;
    let onSurface = 0;
    let nearSample = 0;
    for (const id of s.frameIds) {
      const f = s.readFrame(id)!;
      const { positions } = backProjectDepth(f.depth, s.intrinsics, f.pose);
      for (let i = 0; i < positions.length; i += 3) {
        if (distanceToRoom(positions[i], positions[i + 1], positions[i + 2]) <= 0.01) onSurface++;
      }
      nearSample += sampled.countWithin(positions);
      total += positions.length / 3;
    }
    assert.ok(total > 32 * 160 * 120 * 0.95, `only ${total} valid pixels`);
    assert.ok(onSurface / total >= 0.99, `${((100 * onSurface) / total).toFixed(2)} % on a surface`);
    assert.ok(
      nearSample / total >= 0.99,
      `${((100 * nearSample) / total).toFixed(2)} % near a sampled point`,
    );
  });

  test('frame skip keeps ids that are multiples of k; consecutive frames overlap ≥ 30 %', () => {
    const s = openRgbdScene(scene);
    const { views } = rgbdViews(s, { frameSkip: 10, storeVoxel: 0.025 });
    assert.deepEqual(
      views.map((v) => v.id),
      Array.from({ length: 16 }, (_, i) => String(i * 10).padStart(3, '0')),
    );
    const { pairs } = overlappingPairs(views, {
      voxel: 0.025,
      radiusVoxels: 1.5,
      minOverlap: 0.3,
      overlapVoxel: 0.05,
    });
    const neighbours = pairs.filter((p) => p.b === p.a + 1).length;
    assert.equal(neighbours, views.length - 1, 'every consecutive pair overlaps ≥ 30 %');
    for (const p of pairs) assert.ok(p.overlap.overlap >= 0.3 && p.overlap.overlap <= 1);
    assert.ok(
      pairs.length < (views.length * (views.length - 1)) / 2,
      'some far-apart frames do not overlap enough',
    );
  });

  test('a lost-tracking pose (-inf) drops the frame; malformed files name the file and line', () => {
    writeFileSync(
      join(scene, 'pose', '75.txt'),
      '-inf -inf -inf -inf\n-inf -inf -inf -inf\n-inf -inf -inf -inf\n-inf -inf -inf -inf\n',
    );
    const s = openRgbdScene(scene);
    assert.equal(s.readFrame(75), null);
    const { dropped } = rgbdViews(s, { frameSkip: 25, storeVoxel: 0.025 });
    assert.deepEqual(dropped, [{ id: '075', reason: 'pose is not finite (tracking lost)' }]);
    assert.throws(
      () => parseMatrix4('1 0 0 0\n0 1 x 0\n0 0 1 0\n0 0 0 1\n', 'p.txt'),
      /p\.txt: line 2: 'x' is not a number/,
    );
    assert.throws(() => parseMatrix4('1 0 0 0\n', 'q.txt'), /q\.txt: expected 4 lines/);
    assert.throws(() => openRgbdScene(dir), /missing intrinsic\/intrinsic_depth\.txt/);
  });
});
