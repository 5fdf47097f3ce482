// Area-weighted vertex normals against hand-computed cases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vertexNormals } from '../../../src/data/datasets/mesh-normals.js';

test('a flat square gives +z everywhere; a fold weights faces by area', () => {
  const sq = new Float32Array([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
  assert.deepEqual(
    [...vertexNormals(sq, new Uint32Array([0, 1, 2, 0, 2, 3]))],
    [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1],
  );
  // Shared edge v0-v1. Face A (0,1,2) lies in z=0: cross (2,0,0)×(0,2,0) = (0,0,4), area 2.
  // Face B (0,3,1) lies in y=0: cross (0,0,1)×(2,0,0) = (0,2,0), area 1. Shared vertices: (0,2,4)/√20.
  const fold = new Float32Array([0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1]);
  const nrm = vertexNormals(fold, new Uint32Array([0, 1, 2, 0, 3, 1]));
  const l = Math.hypot(2, 4);
  for (const v of [0, 1]) {
    const got = [...nrm.slice(v * 3, v * 3 + 3)];
    assert.ok(got[0] === 0 && Math.abs(got[1] - 2 / l) < 1e-6 && Math.abs(got[2] - 4 / l) < 1e-6, `${got}`);
  }
  assert.deepEqual([...nrm.slice(6, 9)], [0, 0, 1]);
  assert.deepEqual([...nrm.slice(9, 12)], [0, 1, 0]);
  assert.throws(
    () => vertexNormals(fold, new Uint32Array([0, 1, 7]), 'm.ply'),
    /m\.ply: face 0 references vertex 7/,
  );
});
