import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodePair,
  decodePairHeader,
  encodePair,
  type PointPair,
} from '../../../src/data/pairs/pair-file.js';
import { lookAt } from '../../../src/geometry/rigid.js';

function samplePair(colors: boolean): PointPair {
  const p: PointPair = {
    scene: 'scene0000_00',
    view0: {
      id: 'v00',
      positions: Float32Array.from([0, 0, 0, 1, 2, 3, -1.5, 0.25, 1e-7]),
      pose: lookAt([1, 2, 1.5], [3, 1, 1]),
    },
    view1: {
      id: 'v03',
      positions: Float32Array.from([0.01, 0, 0, 5, 5, 5]),
      pose: lookAt([0.1, 0.2, 1.3], [-3, 1, 1]),
    },
    corr: Int32Array.from([0, 0, 2, 1]),
    overlap: 0.4375,
    radius: 0.0375,
    meta: { matchAB: 0.4375, matchBA: 0.25 },
  };
  if (colors) {
    p.view0.colors = Uint8Array.from([1, 2, 3, 4, 5, 6, 255, 0, 128]);
    p.view1.colors = Uint8Array.from([9, 8, 7, 6, 5, 4]);
  }
  return p;
}

describe('pair file codec', () => {
  for (const colors of [true, false]) {
    test(`round trip is exact (${colors ? 'with' : 'without'} colours), arrays 16-byte aligned`, () => {
      const p = samplePair(colors);
      const bytes = encodePair(p);
      const h = decodePairHeader(bytes);
      for (const a of h.arrays) assert.equal(a.offset % 16, 0, a.name);
      assert.equal(h.byteLength, bytes.length);
      const q = decodePair(bytes);
      assert.equal(q.scene, p.scene);
      assert.equal(q.overlap, p.overlap);
      assert.equal(q.radius, p.radius);
      assert.deepEqual(q.meta, p.meta);
      for (const k of ['view0', 'view1'] as const) {
        assert.equal(q[k].id, p[k].id);
        assert.deepEqual(q[k].positions, p[k].positions);
        // poses travel as JSON numbers: exact, except that −0 becomes 0
        assert.deepEqual(
          Array.from(q[k].pose),
          Array.from(p[k].pose, (v) => v + 0),
        );
        assert.deepEqual(q[k].colors, p[k].colors);
      }
      assert.deepEqual(q.corr, p.corr);
    });
  }

  test('decoding a buffer at an odd offset copies instead of failing', () => {
    const bytes = encodePair(samplePair(true));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.deepEqual(decodePair(shifted.subarray(1)).view1.positions, samplePair(true).view1.positions);
  });

  test('bad input: errors name the file, byte offset and what was expected', () => {
    const good = encodePair(samplePair(true));
    assert.throws(
      () => decodePair(good.slice(0, good.length - 4), 'p.pair'),
      /p\.pair: byte \d+: file has \d+ bytes, header says \d+/,
    );
    const magic = good.slice();
    magic[0] = 0x41;
    assert.throws(() => decodePair(magic, 'm.pair'), /m\.pair: byte 0: bad magic/);
    const json = good.slice();
    json[16] = 0x20; // '{' → ' ' then the rest is not JSON
    json[17] = 0x7d;
    assert.throws(() => decodePair(json, 'j.pair'), /j\.pair: byte 16: header is not valid JSON/);
    const bad = samplePair(false);
    bad.corr = Int32Array.from([0, 2]);
    assert.throws(() => encodePair(bad), /correspondence 0 = \(0, 2\) is outside the views' 3 and 2 points/);
    // a corrupt index inside the file is caught on decode
    const corrupt = encodePair(samplePair(false));
    const h = decodePairHeader(corrupt);
    const off = h.arrays.find((a) => a.name === 'corr')!.offset;
    new DataView(corrupt.buffer).setInt32(off + 4, 99, true);
    assert.throws(
      () => decodePair(corrupt, 'c.pair'),
      new RegExp(`c\\.pair: byte ${off}: correspondence 0 = \\(0, 99\\)`),
    );
  });
});
