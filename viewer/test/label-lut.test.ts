import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildLabelLut,
  classesById,
  classesByRawId,
  className,
  classColor,
  LUT_SIZE,
} from '../src/colors/label-lut.js';
import { generatedClassColor } from '../src/colors/colors.js';

const classes = [
  { id: 0, name: 'wall', color: [174, 199, 232] as [number, number, number] },
  { id: 7, name: 'door', color: [214, 39, 40] as [number, number, number] },
  { id: 200, name: 'rare', color: [1, 2, 3] as [number, number, number] },
];

test('the LUT is indexed by raw class id, not by position in the class list', () => {
  const lut = buildLabelLut(classes, new Set());
  assert.equal(lut.length, LUT_SIZE * 4);
  assert.deepEqual([...lut.subarray(7 * 4, 8 * 4)], [214, 39, 40, 255]);
  assert.deepEqual([...lut.subarray(200 * 4, 201 * 4)], [1, 2, 3, 255]);
  // position 1 of the list is 'door', but texel 1 must be the generated colour of id 1
  assert.deepEqual([...lut.subarray(4, 8)], [...generatedClassColor(1), 255]);
});

test('hidden classes get alpha 0, the others 255', () => {
  const lut = buildLabelLut(classes, new Set([7, 3, -1]));
  for (let id = 0; id < LUT_SIZE; id++)
    assert.equal(lut[id * 4 + 3], id === 7 || id === 3 ? 0 : 255, `id ${id}`);
});

test('names and colours for known, unknown and ignored ids', () => {
  const byId = classesById(classes);
  assert.equal(className(7, byId), 'door');
  assert.equal(className(9, byId), 'class 9');
  assert.equal(className(-1, byId), 'ignore');
  assert.equal(className(255, byId, 255), 'ignore');
  assert.deepEqual(classColor(0, byId), [174, 199, 232]);
  assert.deepEqual(classColor(9, byId), generatedClassColor(9));
});

test('classesByRawId re-keys a label set by its raw ids', () => {
  const set = [
    { id: 0, raw: 1, name: 'wall', color: [1, 1, 1] as [number, number, number] },
    { id: 1, raw: 2, name: 'floor', color: [2, 2, 2] as [number, number, number] },
    { id: 2, name: 'no raw', color: [3, 3, 3] as [number, number, number] },
  ];
  assert.deepEqual(classesByRawId(set), [
    { id: 1, name: 'wall', color: [1, 1, 1] },
    { id: 2, name: 'floor', color: [2, 2, 2] },
  ]);
});
