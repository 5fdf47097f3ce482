// The S3DIS-style "x y z r g b" text parser: values equal parseFloat's, bad rows named or skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXyzRgbText } from '../../../src/data/datasets/xyzrgb-text.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('values match parseFloat → float32 on random rows (plain, signed, exponent, CRLF, tabs)', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const rows: string[] = [];
  const expect: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const v = [0, 1, 2].map(() => {
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 6 - 2);
      const s = i % 97 === 0 ? x.toExponential(4) : x.toFixed(Math.floor(rnd() * 8));
      expect.push(Math.fround(parseFloat(s)));
      return s;
    });
    const c = [0, 1, 2].map(() => Math.floor(rnd() * 256));
    cols.push(...c);
    rows.push([...v, ...c].join(i % 3 === 0 ? '\t' : ' ') + (i % 2 ? '\r' : ''));
  }
  const r = parseXyzRgbText(enc(rows.join('\n') + '\n\n'), 'r.txt');
  assert.deepEqual([...r.positions], expect);
  assert.deepEqual([...r.colors], cols);
  assert.equal(r.badLines, 0);
});

test('a bad float names file and line; skipBadLines counts and drops those rows', () => {
  const text =
    '1 2 3 4 5 6\n1.5 -2 3e1 7 8 9\n\n185.4\u00100000 1 2 3 4 5\n1 2 3 4 5\n7 8 9 255 0 1\n1 2 3 4 5 256\n';
  assert.throws(
    () => parseXyzRgbText(enc(text), 'Area_5/office_19/Annotations/ceiling_1.txt'),
    /Area_5\/office_19\/Annotations\/ceiling_1\.txt:4: expected 6 numbers "x y z r g b".*got "185\.4\\u00100000 1 2 3 4 5"/,
  );
  const r = parseXyzRgbText(enc(text), 'c.txt', { skipBadLines: true });
  assert.equal(r.badLines, 3);
  assert.deepEqual(r.badLineNumbers, [4, 5, 7]);
  assert.deepEqual([...r.positions], [1, 2, 3, 1.5, -2, 30, 7, 8, 9]);
  assert.deepEqual([...r.colors], [4, 5, 6, 7, 8, 9, 255, 0, 1]);
  assert.throws(() => parseXyzRgbText(enc('1 2 3 4 5 6 7\n'), 'd.txt'), /d\.txt:1:/);
  assert.throws(() => parseXyzRgbText(enc('1 2 nan 4 5 6\n'), 'e.txt'), /e\.txt:1:/);
  assert.throws(() => parseXyzRgbText(enc('1 2 3 4.5 5 6'), 'f.txt'), /f\.txt:1:/);
});
