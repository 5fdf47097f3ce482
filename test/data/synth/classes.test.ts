import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SYNTH_LABEL_MAP, L, NUM_SYNTH_CLASSES } from '../../../src/data/synth/classes.js';

const JSON_PATH = new URL('../../../datasets/synthetic.json', import.meta.url);

describe('synthetic label map', () => {
  test('datasets/synthetic.json is exactly the generator’s class list', () => {
    assert.deepEqual(JSON.parse(readFileSync(JSON_PATH, 'utf8')), SYNTH_LABEL_MAP);
  });

  test('train ids are 0..K-1 in order, names unique and matching the id table', () => {
    const names = SYNTH_LABEL_MAP.classes.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    SYNTH_LABEL_MAP.classes.forEach((c, i) => {
      assert.equal(c.id, i);
      assert.equal(L[c.name as keyof typeof L], i, c.name);
    });
    assert.equal(NUM_SYNTH_CLASSES, 24);
    assert.equal(Object.keys(L).length, NUM_SYNTH_CLASSES);
  });

  test('ScanNet classes use the standard ScanNet palette, in ScanNet-20 order', () => {
    const scannet: [string, number[]][] = [
      ['wall', [174, 199, 232]],
      ['floor', [152, 223, 138]],
      ['cabinet', [31, 119, 180]],
      ['bed', [255, 187, 120]],
      ['chair', [188, 189, 34]],
      ['sofa', [140, 86, 75]],
      ['table', [255, 152, 150]],
      ['door', [214, 39, 40]],
      ['window', [197, 176, 213]],
      ['bookshelf', [148, 103, 189]],
      ['picture', [196, 156, 148]],
      ['counter', [23, 190, 207]],
      ['desk', [247, 182, 210]],
      ['curtain', [219, 219, 141]],
      ['refrigerator', [255, 127, 14]],
      ['toilet', [44, 160, 44]],
      ['sink', [112, 128, 144]],
      ['bathtub', [227, 119, 194]],
      ['otherfurniture', [82, 84, 163]],
    ];
    scannet.forEach(([name, color], i) => {
      assert.equal(SYNTH_LABEL_MAP.classes[i].name, name);
      assert.deepEqual(SYNTH_LABEL_MAP.classes[i].color, color, name);
    });
  });

  test('stuff and clutter have no boxes; every furniture class does', () => {
    const noBox = SYNTH_LABEL_MAP.classes.filter((c) => !c.detection).map((c) => c.name);
    assert.deepEqual(noBox.sort(), ['ceiling', 'floor', 'otherprop', 'wall']);
  });
});
