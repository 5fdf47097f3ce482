// ScanNet side files: TSV, segs, aggregation, axis alignment, and the instance chain on the real scans.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  applyTransform,
  instanceNyu40,
  instancesFromSegments,
  parseAggregation,
  parseAxisAlignment,
  parseScanNetTsv,
  parseSegs,
} from '../../../src/data/datasets/scannet-meta.js';
import { requireShared } from '../../helpers/requires.js';

const ROOT = new URL('../../../../shared/data/scannet/', import.meta.url).pathname;
const skip = requireShared(ROOT);

describe('ScanNet side-file parsers', () => {
  test('TSV: columns by header name, CRLF tolerated, errors name the line', () => {
    const tsv = parseScanNetTsv(
      'raw_category\tid\tnyu40id\r\nkitchen cabinets\t3\t3\r\ncouch\t7\t6\r\n',
      't.tsv',
    );
    assert.deepEqual(tsv.get('couch'), { id: 7, nyu40: 6 });
    assert.deepEqual(tsv.get('kitchen cabinets'), { id: 3, nyu40: 3 });
    assert.throws(
      () => parseScanNetTsv('raw_category\tid\n', 'u.tsv'),
      /u\.tsv: line 1: header has no 'nyu40id'/,
    );
    assert.throws(
      () => parseScanNetTsv('raw_category\tid\tnyu40id\nchair\t2\t5\nlamp\t9\tx\n', 'v.tsv'),
      /v\.tsv: line 3: expected raw_category and an integer nyu40id/,
    );
  });

  test('segs → instances: objectId + 1 inside segGroups, -1 elsewhere, last group wins', () => {
    const segs = parseSegs('{"segIndices":[4,4,9,2,7,100]}', 's.json');
    const groups = parseAggregation(
      JSON.stringify({
        segGroups: [
          { id: 0, objectId: 0, segments: [4, 9], label: 'chair' },
          { id: 1, objectId: 5, segments: [2, 9], label: 'couch' },
        ],
      }),
      'a.json',
    );
    assert.deepEqual([...instancesFromSegments(segs, groups)], [1, 1, 6, 6, -1, -1]);
    const tsv = parseScanNetTsv('raw_category\tid\tnyu40id\nchair\t2\t5\ncouch\t7\t6\n', 't.tsv');
    assert.deepEqual([...instanceNyu40(groups, tsv, 'a.json')], [-1, 5, -1, -1, -1, -1, 6]);
    const unknown = [{ id: 0, objectId: 0, segments: [1], label: 'spaceship' }];
    assert.throws(
      () => instanceNyu40(unknown, tsv, 'a.json'),
      /a\.json: key 'segGroups\[0\]\.label': category 'spaceship'/,
    );
    assert.throws(() => parseSegs('{"segIndices":[1,-2]}', 's.json'), /s\.json: key 'segIndices\[1\]'/);
    assert.throws(
      () => parseAggregation('{"segGroups":[{"objectId":1}]}', 'b.json'),
      /b\.json: key 'segGroups\[0\]\.segments'/,
    );
  });

  test('axisAlignment: parsed row-major and applied to points and normals', () => {
    const m = parseAxisAlignment(
      'colorHeight = 968\r\naxisAlignment = 0 -1 0 1 1 0 0 2 0 0 1 3 0 0 0 1\r\n',
      's.txt',
    )!;
    const p = new Float32Array([1, 0, 0, 0, 1, 0]);
    const n = new Float32Array([1, 0, 0, 0, 1, 0]);
    applyTransform(m, p, n);
    assert.deepEqual([...p], [1, 3, 3, 0, 2, 3]);
    assert.deepEqual([...n], [0, 1, 0, -1, 0, 0]);
    assert.equal(parseAxisAlignment('sceneType = Bedroom\n', 's.txt'), undefined);
    assert.throws(
      () => parseAxisAlignment('a=1\naxisAlignment = 1 2 3\n', 't.txt'),
      /t\.txt: line 2: axisAlignment: expected 16/,
    );
  });
});

describe('ScanNet instance chain on the shared scans', { skip }, () => {
  // Annotated vertices of these fixtures are exactly the segGroup members (README §1), so the
  // nyu40 histogram through segs + aggregation + TSV must equal the README's per-vertex histogram.
  const cases = [
    {
      scene: 'scene0000_00',
      groups: 67,
      unannotated: 4357,
      hist: {
        1: 13899,
        2: 10234,
        3: 9809,
        4: 2954,
        6: 5099,
        7: 4479,
        8: 1414,
        9: 824,
        12: 462,
        14: 1897,
        15: 4173,
      },
      more: { 16: 5519, 18: 269, 19: 151, 22: 2509, 24: 1404, 25: 521, 32: 558, 33: 454, 34: 362, 38: 2049 },
      last: { 39: 642, 40: 7330 },
    },
    {
      scene: 'scene0000_01',
      groups: 72,
      unannotated: 3854,
      hist: {
        1: 14094,
        2: 10237,
        3: 13457,
        4: 2417,
        6: 5197,
        8: 1251,
        9: 1712,
        12: 2745,
        14: 1857,
        16: 6037,
      },
      more: { 18: 299, 19: 105, 22: 2128, 24: 1341, 25: 604, 27: 191, 32: 1138, 33: 460, 34: 654, 38: 1915 },
      last: { 39: 1755, 40: 7135 },
    },
  ];
  const tsv = () =>
    parseScanNetTsv(
      readFileSync(`${ROOT}scannetv2-labels.combined.tsv`, 'utf8'),
      'scannetv2-labels.combined.tsv',
    );
  for (const c of cases) {
    test(`${c.scene}: ${c.groups} instances, nyu40 histogram of the README`, () => {
      const dir = `${ROOT}scans/${c.scene}/`;
      const segs = parseSegs(readFileSync(`${dir}${c.scene}_vh_clean_2.0.010000.segs.json`, 'utf8'), 'segs');
      const groups = parseAggregation(readFileSync(`${dir}${c.scene}.aggregation.json`, 'utf8'), 'agg');
      assert.equal(groups.length, c.groups);
      const inst = instancesFromSegments(segs, groups);
      const nyu = instanceNyu40(groups, tsv(), 'agg');
      const hist = new Map<number, number>();
      let none = 0;
      const ids = new Set<number>();
      for (const k of inst) {
        if (k < 0) none++;
        else {
          ids.add(k);
          hist.set(nyu[k], (hist.get(nyu[k]) ?? 0) + 1);
        }
      }
      assert.equal(none, c.unannotated);
      assert.equal(ids.size, c.groups);
      const expected = { ...c.hist, ...c.more, ...c.last };
      assert.deepEqual(Object.fromEntries([...hist].sort((a, b) => a[0] - b[0])), expected);
    });
  }
});
