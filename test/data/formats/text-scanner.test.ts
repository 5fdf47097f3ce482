/**
 * The ascii number parser against Number() as the oracle (exact, including the fast path), the
 * words PLY/PCD writers use for NaN/Inf, rejected tokens, and formatExact round trips.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExact, parseNumber } from '../../../src/data/formats/text-scanner.js';
import { rng, text } from './fixtures.js';

const parse = (s: string) => parseNumber(text(s), 0, s.length);

describe('parseNumber', () => {
  test('hand-written tokens', () => {
    const cases: [string, number][] = [
      ['1', 1],
      ['-2.5', -2.5],
      ['+3e2', 300],
      ['.5', 0.5],
      ['1.', 1],
      ['1e-3', 0.001],
      ['1E+3', 1000],
      ['0.000123', 0.000123],
      ['123456789012345678901234567890', 1.2345678901234568e29],
      ['4294967295', 4294967295],
      ['1e400', Infinity],
      ['nan', NaN],
      ['NaN', NaN],
      ['-nan', NaN],
      ['inf', Infinity],
      ['-inf', -Infinity],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
    ];
    for (const [s, v] of cases) assert.ok(Object.is(parse(s), v), `${s} → ${parse(s)}, expected ${v}`);
    assert.ok(Object.is(parse('-0'), -0));
    assert.ok(Object.is(parse('-0.0e5'), -0));
  });

  test('rejects tokens that are not numbers', () => {
    for (const s of [
      '',
      '-',
      '+',
      '.',
      'e5',
      '1e',
      '1e+',
      '1.2.3',
      'abc',
      '0x10',
      '1,5',
      '12a',
      '--1',
      'nanx',
      'in',
    ]) {
      assert.equal(parse(s), undefined, `'${s}' should be rejected`);
    }
  });

  test('equals Number() exactly on 40,000 random values in several notations', () => {
    const r = rng(7);
    const f32 = new Float32Array(1);
    for (let i = 0; i < 10000; i++) {
      const mag = Math.pow(10, Math.floor(r() * 40) - 20);
      const v = (r() - 0.5) * mag;
      f32[0] = v;
      const forms = [
        String(v),
        v.toPrecision(1 + Math.floor(r() * 17)),
        v.toExponential(Math.floor(r() * 17)),
        String(f32[0]),
      ];
      for (const s of forms) assert.ok(Object.is(parse(s), Number(s)), `${s}: ${parse(s)} vs ${Number(s)}`);
    }
  });
});

describe('formatExact', () => {
  test('float32 and float64 values survive a text round trip bit for bit', () => {
    const r = rng(11);
    const u = new Uint32Array(1);
    const f = new Float32Array(u.buffer);
    for (let i = 0; i < 20000; i++) {
      u[0] = Math.floor(r() * 4294967296);
      const v = f[0];
      const back = Math.fround(parse(formatExact(v, true))!);
      assert.ok(
        Object.is(back, v) || (Number.isNaN(v) && Number.isNaN(back)),
        `${v} → ${formatExact(v, true)}`,
      );
      const d = (r() - 0.5) * Math.pow(10, Math.floor(r() * 600) - 300);
      assert.ok(Object.is(parse(formatExact(d, false)), d), `${d}`);
    }
    assert.equal(formatExact(-0, true), '-0');
    assert.equal(formatExact(42, true), '42');
  });
});
