import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { autoContrast, jitterColors, translateColors } from '../../../src/data/augment/chromatic.js';
import { Rng } from '../../../src/core/rng.js';
import { randomCloud, run } from './helpers.js';

describe('chromatic augmentations', () => {
  // three points; red 50/100/150, green constant 80, blue 0/255/128
  const colors = Uint8Array.of(50, 80, 0, 100, 80, 255, 150, 80, 128);

  test('auto-contrast stretches each channel to 0..255 (blend 1) and blends (0.5)', () => {
    assert.deepEqual(Array.from(autoContrast(colors, 1)), [0, 80, 0, 128, 80, 255, 255, 80, 128]);
    // red: (v + (v − 50)·2.55)/2 → 25, 113.75, 202.5
    assert.deepEqual(Array.from(autoContrast(colors, 0.5)), [25, 80, 0, 114, 80, 255, 203, 80, 128]);
    assert.deepEqual(Array.from(autoContrast(colors, 0)), Array.from(colors));
  });

  test('translation adds a per-channel offset and clamps to 0..255', () => {
    assert.deepEqual(
      Array.from(translateColors(colors, [10, -100, 200])),
      [60, 0, 200, 110, 0, 255, 160, 0, 255],
    );
  });

  test('jitter: σ = std·255 on mid-grey, and extremes stay within 0..255', () => {
    const n = 30_000;
    const grey = new Uint8Array(n * 3).fill(128);
    const out = jitterColors(grey, 0.05, new Rng(3));
    let s = 0;
    let s2 = 0;
    for (const v of out) {
      s += v - 128;
      s2 += (v - 128) ** 2;
    }
    const sd = Math.sqrt(s2 / out.length - (s / out.length) ** 2);
    assert.ok(Math.abs(sd - 0.05 * 255) < 0.3, `sd ${sd}`);
    const ext = jitterColors(Uint8Array.of(0, 255, 0, 255, 0, 255), 0.5, new Rng(4));
    for (const v of ext) assert.ok(v >= 0 && v <= 255 && Number.isInteger(v));
  });

  test('configured chain keeps every channel in 0..255; translation shifts within ±ratio·255', () => {
    const c = randomCloud(2000, 11);
    for (let seed = 0; seed < 20; seed++) {
      const s = run(
        c,
        [
          { type: 'chromatic-auto-contrast', p: 0.5 },
          { type: 'chromatic-translation', ratio: 0.1, p: 0.95 },
          { type: 'chromatic-jitter', std: 0.05, p: 0.95 },
        ],
        seed,
      );
      assert.ok(s.cloud.colors instanceof Uint8Array && s.cloud.colors.length === c.colors!.length);
    }
    const mid = { positions: new Float32Array(3), colors: Uint8Array.of(128, 128, 128) };
    for (let seed = 0; seed < 200; seed++) {
      const s = run(mid, [{ type: 'chromatic-translation', ratio: 0.1 }], seed);
      for (const v of s.cloud.colors!) assert.ok(Math.abs(v - 128) <= 26, `${v}`);
    }
  });

  test('auto-contrast applies with probability p; colourless clouds pass through', () => {
    let applied = 0;
    for (let seed = 0; seed < 2000; seed++) {
      const s = run(
        { positions: new Float32Array(9), colors },
        [{ type: 'chromatic-auto-contrast', blendFactor: 1, p: 0.2 }],
        seed,
      );
      if (s.cloud.colors![0] === 0) applied++;
    }
    assert.ok(Math.abs(applied / 2000 - 0.2) < 0.03, `${applied}`);
    const bare = { positions: new Float32Array(9) };
    assert.equal(run(bare, [{ type: 'chromatic-jitter' }]).cloud.colors, undefined);
  });
});
