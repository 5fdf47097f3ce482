// Label maps: the shipped datasets/*.json files, validation errors, the raw → train LUT.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  boxClassMask,
  classNames,
  mapRawLabels,
  parseClassList,
  parseLabelMap,
  rawIdOfName,
  rawToTrainLut,
} from '../../src/data/label-map.js';
import { loadLabelMap } from '../../src/data/datasets/label-maps.js';

const SCANNET20_RAW = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39];

describe('shipped label maps', () => {
  test('scannet20: nyu40 ids → 0..19 in benchmark order, everything else ignored', () => {
    const m = loadLabelMap('scannet20');
    assert.equal(m.classes.length, 20);
    assert.deepEqual(
      m.classes.map((c) => c.raw),
      SCANNET20_RAW,
    );
    const lut = rawToTrainLut(m);
    for (let raw = 0; raw <= 40; raw++) {
      const expect = SCANNET20_RAW.indexOf(raw);
      assert.equal(lut[raw] ?? -1, expect === -1 ? -1 : expect, `nyu40 id ${raw}`);
    }
    assert.equal(m.classes[0].name, 'wall');
    assert.equal(m.classes[19].name, 'otherfurniture');
    assert.deepEqual(m.classes[15], {
      id: 15,
      raw: 28,
      name: 'shower curtain',
      color: [158, 218, 229],
      detection: true,
    });
    assert.deepEqual(m.classes[0].color, [174, 199, 232]);
    assert.deepEqual(
      boxClassMask(m)
        .map((b, i) => (b ? -1 : i))
        .filter((i) => i >= 0),
      [0, 1],
    );
  });

  test('scannet-det18: the 18 VoteNet classes', () => {
    const m = loadLabelMap('scannet-det18');
    assert.deepEqual(
      m.classes.map((c) => c.raw),
      SCANNET20_RAW.slice(2),
    );
    assert.ok(boxClassMask(m).every(Boolean));
    assert.equal(rawToTrainLut(m)[39], 17);
  });

  test('s3dis13: PointContrast order, stairs ignored', () => {
    const m = loadLabelMap('s3dis13');
    assert.deepEqual(classNames(m), [
      'clutter',
      'beam',
      'board',
      'bookcase',
      'ceiling',
      'chair',
      'column',
      'door',
      'floor',
      'sofa',
      'table',
      'wall',
      'window',
    ]);
    const lut = rawToTrainLut(m);
    assert.equal(rawIdOfName(m, 'stairs'), 10);
    assert.equal(lut[10], -1);
    assert.equal(lut[rawIdOfName(m, 'window')!], 12);
    assert.equal(lut[rawIdOfName(m, 'clutter')!], 0);
    assert.deepEqual(
      m.classes.filter((c) => c.detection).map((c) => c.name),
      ['board', 'bookcase', 'chair', 'sofa', 'table'],
    );
    assert.equal(new Set(m.classes.map((c) => c.color.join())).size, 13, 'distinct colours');
  });
});

describe('validation', () => {
  const base = () => ({
    name: 't',
    ignoreLabel: -1,
    classes: [
      { id: 0, raw: 5, name: 'a', color: [1, 2, 3] },
      { id: 1, raw: 2, name: 'b', color: [4, 5, 6] },
    ],
  });

  test('errors name the file and the key', () => {
    const bad = base();
    (bad.classes[1] as { color: unknown }).color = [1, 2];
    assert.throws(
      () => parseLabelMap(bad, 'x.json'),
      /x\.json: key 'classes\[1\]\.color': expected \[r, g, b\]/,
    );
    const dup = base();
    dup.classes[1].raw = 5;
    assert.throws(() => parseLabelMap(dup, 'y.json'), /y\.json: key 'classes\[1\]\.raw'.*classes\[0\]/);
    const gap = base();
    gap.classes[1].id = 2;
    assert.throws(() => parseLabelMap(gap, 'z.json'), /key 'classes\[1\]\.id': expected a train id 0\.\.1/);
    assert.throws(() => parseLabelMap({ ...base(), ignoreLabel: 1 }, 'w.json'), /key 'ignoreLabel'/);
    assert.throws(
      () => parseLabelMap({ ...base(), typo: 1, classes: [{ id: 0, nmae: 'a' }] }),
      /classes\[0\]\.nmae/,
    );
  });

  test('LUT is by raw id, not sorted position; unknown and negative raw ids ignored', () => {
    const m = parseLabelMap(base(), 'm.json');
    const lut = rawToTrainLut(m);
    assert.deepEqual([...lut], [-1, -1, 1, -1, -1, 0]);
    assert.deepEqual([...mapRawLabels([5, 2, 0, 99, -3], lut, -1)], [0, 1, -1, -1, -1]);
  });

  test('several raw ids may merge into one class', () => {
    const m = parseLabelMap({ name: 'm', classes: [{ id: 0, raw: [3, 7], name: 'a', color: [0, 0, 0] }] });
    assert.deepEqual([...rawToTrainLut(m)], [-1, -1, -1, 0, -1, -1, -1, 0]);
  });

  test('plain text class list: one name per line, CRLF, comments', () => {
    const m = parseClassList('# my classes\r\nfloor\r\n\r\nchair\r\ntable\r\n', 'classes.txt', 'mine');
    assert.deepEqual(classNames(m), ['floor', 'chair', 'table']);
    assert.deepEqual([...rawToTrainLut(m)], [0, 1, 2]);
    assert.ok(boxClassMask(m).every(Boolean));
    assert.throws(
      () => parseClassList('a\nb\na\n', 'c.txt'),
      /c\.txt: class 'a' listed twice \(entries 1 and 3\)/,
    );
    assert.throws(() => parseClassList('{ "name": ', 'd.json'), /d\.json: not valid JSON/);
  });
});
