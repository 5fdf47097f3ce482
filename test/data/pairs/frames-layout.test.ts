/**
 * RGB-D frames in the 3DMatch toolbox / 7-Scenes layout: a tiny sequence written here (3×3 K,
 * frame-N.{depth,pose}.png/.txt, 65535 = no depth) reads back exactly; the real 7-Scenes
 * redkitchen frames of ../shared/data give the intrinsics, frame ids and pairs of its README.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireShared } from '../../helpers/requires.js';
import { join } from 'node:path';
import { encodePng } from '../../../src/data/io/png.js';
import {
  listFrameSequences,
  openFramesScene,
  parseIntrinsics3x3,
} from '../../../src/data/rgbd/frames-layout.js';
import { formatMatrix4 } from '../../../src/data/rgbd/scannet-layout.js';
import { planScenes } from '../../../src/data/pairs/sources.js';
import { generatePairs } from '../../../src/data/pairs/generate.js';

const dir = mkdtempSync(join(tmpdir(), 'pc-frames-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SHARED = new URL('../../../../shared/data/7scenes-redkitchen-rgbd/', import.meta.url).pathname;
const skip = requireShared(join(SHARED, 'camera-intrinsics.txt'));

describe('3DMatch / 7-Scenes frame layout', () => {
  const scene = join(dir, 'kitchen');
  const seq = join(scene, 'seq-01');
  mkdirSync(seq, { recursive: true });
  writeFileSync(
    join(scene, 'camera-intrinsics.txt'),
    '5.0e+00\t0\t2.0e+00\t\n0\t6.0e+00\t1.5e+00\t\n0\t0\t1\t\n',
  );
  const pose = Float64Array.from([1, 0, 0, 0.5, 0, 1, 0, -1, 0, 0, 1, 2, 0, 0, 0, 1]);
  for (const id of [0, 1, 2]) {
    const depth = Uint16Array.from({ length: 4 * 3 }, (_, i) =>
      i === 5 ? 65535 : i === 6 ? 0 : 1000 + 100 * i + id,
    );
    writeFileSync(
      join(seq, `frame-00000${id}.depth.png`),
      encodePng({ width: 4, height: 3, channels: 1, bitDepth: 16, data: depth }),
    );
    if (id !== 2) writeFileSync(join(seq, `frame-00000${id}.pose.txt`), formatMatrix4(pose));
  }

  test('K from the parent folder; frames need depth and pose; 65535 and 0 read as no depth', () => {
    assert.deepEqual(listFrameSequences(scene), [seq]);
    const s = openFramesScene(seq);
    assert.equal(s.name, 'kitchen_seq-01');
    assert.deepEqual(s.intrinsics, { width: 4, height: 3, fx: 5, fy: 6, cx: 2, cy: 1.5 });
    assert.deepEqual(s.frameIds, [0, 1]);
    const f = s.readFrame(1)!;
    assert.deepEqual(f.pose, pose);
    assert.deepEqual(
      [...f.depth],
      Array.from({ length: 12 }, (_, i) => (i === 5 || i === 6 ? 0 : 1000 + 100 * i + 1)),
    );
    const tasks = planScenes('rgbd', { root: scene, seed: 0 });
    assert.deepEqual(tasks, [{ kind: 'rgbd', key: 'kitchen_seq-01', dir: seq, layout: 'frames' }]);
  });

  test('malformed intrinsics name the file and line', () => {
    assert.throws(
      () => parseIntrinsics3x3('1 0 2\n0 1 2\n', 'k.txt'),
      /k\.txt: expected 3 lines of 3 numbers.*found 2/,
    );
    assert.throws(
      () => parseIntrinsics3x3('1 0 2\n0 x 2\n0 0 1\n', 'k.txt'),
      /k\.txt: line 2: 'x' is not a finite number/,
    );
    assert.throws(
      () => parseIntrinsics3x3('0 0 2\n0 1 2\n0 0 1\n', 'k.txt'),
      /fx = K\[0\]\[0\] and fy = K\[1\]\[1\] must be > 0/,
    );
  });

  test(
    '7-Scenes redkitchen fixture: 50 frames, K of the README, pairs with ≥ 30 % overlap',
    { skip },
    async () => {
      const [s] = listFrameSequences(SHARED).map(openFramesScene);
      assert.deepEqual(
        s.frameIds,
        Array.from({ length: 50 }, (_, i) => i + 8),
      );
      assert.deepEqual(s.intrinsics, { width: 640, height: 480, fx: 585, fy: 585, cx: 320, cy: 240 });
      const f = s.readFrame(8)!;
      let valid = 0;
      for (const d of f.depth) if (d > 0) valid++;
      // README: 89.7 % of the pixels are valid over the 50 frames; each frame is near that
      assert.ok(
        valid / f.depth.length > 0.8 && valid / f.depth.length < 0.98,
        `valid ${valid / f.depth.length}`,
      );
      const out = join(dir, 'pairs-7s');
      const r = await generatePairs({ from: 'rgbd', root: SHARED, out, frameSkip: 25, voxel: 0.05 });
      // frames 25 and 50 are the only multiples of 25: one pair, and 7-Scenes' path is short (≥ 75 % overlap)
      assert.equal(r.manifest.pairs.length, 1);
      assert.deepEqual(r.manifest.pairs[0].views, ['25', '50']);
      assert.ok(r.manifest.pairs[0].overlap > 0.5, `overlap ${r.manifest.pairs[0].overlap}`);
      assert.ok(r.manifest.pairs[0].correspondences > 1000);
    },
  );
});
