/**
 * LZF: hand-assembled streams decode to the bytes worked out by hand, compress → decompress is
 * the identity, and corrupt streams fail with a FormatError at the right byte offset.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lzfCompress, lzfDecompress } from '../../../src/data/formats/lzf.js';
import { rng, text, throwsFormat } from './fixtures.js';

describe('lzfDecompress', () => {
  test('literal run + overlapping back reference', () => {
    // ctrl 2 = 3 literals 'abc'; ctrl 0x80 = len (4)+2 = 6, offset hi 0; byte 2 → ref = 3 - 2 - 1 = 0.
    const out = lzfDecompress(new Uint8Array([2, 97, 98, 99, 0x80, 2]), 9, 'x');
    assert.equal(new TextDecoder().decode(out), 'abcabcabc');
  });

  test('long back references (length byte)', () => {
    // 'a', then ref len 7+255+2 = 264 at distance 1, then ref len 7+26+2 = 35 at distance 1: 300 × 'a'.
    const src = new Uint8Array([0, 97, 0xe0, 255, 0, 0xe0, 26, 0]);
    const out = lzfDecompress(src, 300, 'x');
    assert.equal(out.length, 300);
    assert.ok(out.every((b) => b === 97));
  });

  test('corrupt streams name the byte offset', () => {
    const e1 = throwsFormat(
      () => lzfDecompress(new Uint8Array([0, 1, 32, 5]), 10, 'f.pcd', 100),
      /before the start/,
    );
    assert.equal(e1.offset, 102);
    assert.equal(e1.file, 'f.pcd');
    const e2 = throwsFormat(() => lzfDecompress(new Uint8Array([5, 1, 2]), 6, 'f.pcd', 10), /past the end/);
    assert.equal(e2.offset, 10);
    throwsFormat(
      () => lzfDecompress(new Uint8Array([2, 1, 2, 3]), 2, 'f.pcd'),
      /exceeds the declared 2 bytes/,
    );
    throwsFormat(
      () => lzfDecompress(new Uint8Array([2, 1, 2, 3]), 5, 'f.pcd'),
      /decompresses to 3 bytes, the header declares 5/,
    );
    throwsFormat(() => lzfDecompress(new Uint8Array([0, 1, 0xe0]), 50, 'f.pcd'), /cut off/);
  });
});

describe('lzfCompress', () => {
  test('round trips random, repetitive and tiny inputs', () => {
    const r = rng(3);
    const inputs = [
      new Uint8Array(0),
      new Uint8Array([7]),
      new Uint8Array([1, 2]),
      text('abcabcabcabcabcabc'),
      new Uint8Array(100000).map(() => Math.floor(r() * 256)),
      new Uint8Array(100000).map((_, i) => (i % 37) * 3),
      new Uint8Array(70000), // zeros: long back references
    ];
    for (const src of inputs) {
      const c = lzfCompress(src);
      assert.deepEqual(lzfDecompress(c, src.length, 'x'), src);
    }
    assert.ok(lzfCompress(inputs[5]).length < 5000, 'periodic data compresses well');
    assert.ok(
      lzfCompress(inputs[4]).length <= 100000 + 100000 / 32 + 1,
      'incompressible data grows by ≤ 1/32',
    );
  });
});
