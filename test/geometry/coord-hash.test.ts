/**
 * The open-addressing coordinate hash against a brute-force reference (a JS Map of strings,
 * fine in a test): inserts, lookups of present and absent keys, negative coordinates.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoordHash } from '../../src/geometry/coord-hash.js';
import { rng } from '../helpers/backends.js';

test('CoordHash matches a brute-force map on random coordinates', () => {
  const r = rng(7);
  const ref = new Map<string, number>();
  const hash = new CoordHash(3000);
  const rand = () => Math.floor(r() * 80) - 40;
  for (let i = 0; i < 3000; i++) {
    const [b, x, y, z] = [Math.floor(r() * 3), rand(), rand(), rand()];
    const key = `${b},${x},${y},${z}`;
    const had = ref.get(key);
    const got = hash.insert(b, x, y, z, ref.size);
    if (had === undefined) {
      assert.equal(got, -1);
      ref.set(key, ref.size);
    } else {
      assert.equal(got, had);
    }
  }
  assert.equal(hash.size, ref.size);
  for (let i = 0; i < 5000; i++) {
    const [b, x, y, z] = [Math.floor(r() * 4), rand(), rand(), rand()];
    assert.equal(hash.get(b, x, y, z), ref.get(`${b},${x},${y},${z}`) ?? -1);
  }
  // extremes of the packing range stay distinct
  const h2 = new CoordHash(4);
  h2.insert(0, -32768, 32767, -32768, 1);
  h2.insert(32767, 32767, -32768, 32767, 2);
  assert.equal(h2.get(0, -32768, 32767, -32768), 1);
  assert.equal(h2.get(32767, 32767, -32768, 32767), 2);
  assert.equal(h2.get(0, 32767, -32768, 32767), -1);
});

test('CoordHash.fromCoords rejects duplicate rows', () => {
  assert.throws(
    () => CoordHash.fromCoords(new Int32Array([0, 1, 2, 3, 0, 1, 2, 3])),
    /duplicate coordinate at row 1/,
  );
});
