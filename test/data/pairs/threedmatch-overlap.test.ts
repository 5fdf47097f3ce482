/**
 * The correspondence finder on a real 3DMatch fragment pair (../shared/data/3dmatch-pair): after the
 * ground-truth transform, the fraction of points with a neighbour within r must equal the figures
 * measured independently in ../shared/data/README.md §2 (to the printed 0.1 %).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { radiusPairs, RadiusIndex } from '../../../src/geometry/radius-search.js';
import { invertRigid, transformPoints } from '../../../src/geometry/rigid.js';
import { parsePly, plyToPointCloud } from '../../../src/data/formats/index.js';
import { requireShared } from '../../helpers/requires.js';

const DIR = new URL('../../../../shared/data/3dmatch-pair/', import.meta.url);
const skip = requireShared(new URL('src.ply', DIR).pathname);

/** Positions of a fragment, read with the project's PLY parser. */
function readXyzPly(name: string): Float32Array {
  const path = new URL(name, DIR);
  return plyToPointCloud(parsePly(readFileSync(path), { file: path.pathname })).positions;
}

function readGt(): Float64Array {
  const nums = readFileSync(new URL('gt.txt', DIR), 'utf8').trim().split(/\s+/).map(Number);
  assert.equal(nums.length, 16);
  return Float64Array.from(nums);
}

const pct = (count: number, n: number) => ((100 * count) / n).toFixed(1);

describe('3DMatch fragment pair: overlap after the ground-truth transform', { skip }, () => {
  const src = skip ? new Float32Array(0) : readXyzPly('src.ply');
  const ref = skip ? new Float32Array(0) : readXyzPly('ref.ply');
  const gt = skip ? new Float64Array(16) : readGt();

  test('point counts as documented', () => {
    assert.equal(src.length / 3, 15953);
    assert.equal(ref.length / 3, 18977);
  });

  for (const [radius, srcPct, refPct] of [
    [0.025, '32.6', '28.2'],
    [0.0375, '40.1', '34.5'],
    [0.05, '44.8', '37.8'],
  ] as const) {
    test(`r = ${radius * 100} cm: ${srcPct} % of src, ${refPct} % of ref have a neighbour`, () => {
      const srcInRef = transformPoints(src, gt);
      assert.equal(pct(new RadiusIndex(ref, radius).countWithin(srcInRef), src.length / 3), srcPct);
      assert.equal(pct(new RadiusIndex(srcInRef, radius).countWithin(ref), ref.length / 3), refPct);
    });
  }

  test('without the transform and with the inverse (wrong direction) at 3.75 cm: 12.6 % and 5.1 %', () => {
    assert.equal(pct(new RadiusIndex(ref, 0.0375).countWithin(src), src.length / 3), '12.6');
    const wrong = transformPoints(src, invertRigid(gt));
    assert.equal(pct(new RadiusIndex(ref, 0.0375).countWithin(wrong), src.length / 3), '5.1');
  });

  test('the correspondence pairs cover exactly the matched points', () => {
    const srcInRef = transformPoints(src, gt);
    const pairs = radiusPairs(srcInRef, ref, 0.0375);
    const a = new Set<number>();
    const b = new Set<number>();
    for (let p = 0; p < pairs.length; p += 2) {
      a.add(pairs[p]);
      b.add(pairs[p + 1]);
    }
    assert.equal(a.size, new RadiusIndex(ref, 0.0375).countWithin(srcInRef));
    assert.equal(b.size, new RadiusIndex(srcInRef, 0.0375).countWithin(ref));
  });
});
