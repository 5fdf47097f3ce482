/**
 * The real PCL files in ../shared/data/pcd (LZF binary_compressed) parse to the point counts,
 * bounds, finite counts and mOSD label histogram documented in ../shared/data/README.md.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parsePcd,
  parsePointCloud,
  pcdField,
  pcdToPointCloud,
  writePcd,
} from '../../../src/data/formats/index.js';
import { counts, needShared, sameArray, sharedBytes } from './fixtures.js';

function bounds(p: Float32Array): { min: number[]; max: number[] } {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      if (p[i + k] < min[k]) min[k] = p[i + k];
      if (p[i + k] > max[k]) max[k] = p[i + k];
    }
  }
  return { min, max };
}

const near = (a: number[], b: number[], tol: number) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

describe('PCL room scans (binary_compressed, x y z)', () => {
  const scans = [
    { file: 'pcd/room_scan1.pcd', n: 112586, min: [-13.8, -6.49, -1.35], max: [15.45, 7.98, 1.71] },
    { file: 'pcd/room_scan2.pcd', n: 112624, min: [-12.55, -10.92, -1.72], max: [12.3, 10.05, 1.88] },
  ];
  for (const s of scans) {
    test(`${s.file}: ${s.n} finite points within the README bounds`, needShared(s.file), () => {
      const pcd = parsePcd(sharedBytes(s.file), { file: s.file, nonFinite: 'error' });
      assert.equal(pcd.header.data, 'binary_compressed');
      assert.equal(pcd.points, s.n);
      const b = bounds(pcdToPointCloud(pcd).positions);
      assert.ok(near(b.min, s.min, 0.006) && near(b.max, s.max, 0.006), JSON.stringify(b));
    });
  }
});

describe('mOSD test55.pcd (organized 640x480, label x y z rgba)', () => {
  const file = 'pcd/test55.pcd';
  const README_HISTOGRAM: Record<number, number> = {
    0: 132022,
    1: 20714,
    2: 40786,
    3: 213,
    4: 3011,
    5: 2057,
    6: 2723,
    7: 1271,
    20: 13184,
    30: 8180,
    40: 7025,
    50: 12475,
    60: 4885,
    70: 6439,
    80: 3675,
    90: 14708,
    100: 5148,
    110: 7278,
    120: 4747,
    130: 8019,
    140: 3634,
    150: 1909,
    151: 3097,
  };

  test('kept whole: 307,200 points, 175,178 finite, README label histogram', needShared(file), () => {
    const pcd = parsePcd(sharedBytes(file), { file, nonFinite: 'keep' });
    assert.equal(pcd.header.width, 640);
    assert.equal(pcd.header.height, 480);
    assert.equal(pcd.points, 307200);
    assert.deepEqual(pcd.nonFinite, { count: 307200 - 175178, firstIndex: 0, dropped: false });
    const cloud = pcdToPointCloud(pcd);
    assert.deepEqual(
      Object.fromEntries([...counts(cloud.labels!)].sort((a, b) => a[0] - b[0])),
      README_HISTOGRAM,
    );
    // Invalid pixels: x/y/z NaN exactly where label = 0.
    const p = cloud.positions;
    for (let i = 0; i < pcd.points; i++) assert.equal(Number.isNaN(p[3 * i]), cloud.labels![i] === 0);
  });

  test(
    'default: NaN pixels dropped, indices kept, finite bounds and colours as documented',
    needShared(file),
    () => {
      const pcd = parsePcd(sharedBytes(file), { file });
      assert.equal(pcd.points, 175178);
      assert.equal(pcd.nonFinite.dropped, true);
      assert.equal(pcd.sourceIndex!.length, 175178);
      const cloud = pcdToPointCloud(pcd);
      const h = counts(cloud.labels!);
      assert.equal(h.get(0), undefined);
      assert.equal(h.get(90), 14708);
      assert.equal(h.get(151), 3097);
      const b = bounds(cloud.positions);
      assert.ok(
        near(b.min, [-0.527, -0.289, 0.542], 6e-4) && near(b.max, [0.436, 0.291, 1.347], 6e-4),
        JSON.stringify(b),
      );
      // rgba is packed 0x00RRGGBB: the top byte is 0 and the colours are the low three bytes.
      const rgba = pcdField(pcd, 'rgba')!.values;
      assert.ok(rgba.every((v) => v >>> 24 === 0));
      const i = 1000;
      assert.deepEqual(
        [...cloud.colors!.subarray(3 * i, 3 * i + 3)],
        [(rgba[i] >> 16) & 255, (rgba[i] >> 8) & 255, rgba[i] & 255],
      );
      // parsePointCloud takes the same default.
      assert.equal(parsePointCloud(sharedBytes(file), file).positions.length, 3 * 175178);
    },
  );

  test('round trip through writePcd (binary_compressed) is exact', needShared(file), () => {
    const cloud = pcdToPointCloud(parsePcd(sharedBytes(file)));
    const back = pcdToPointCloud(parsePcd(writePcd(cloud)));
    sameArray(back.positions, cloud.positions, 'positions');
    sameArray(back.colors, cloud.colors, 'colors');
    sameArray(back.labels, cloud.labels, 'labels');
  });
});
