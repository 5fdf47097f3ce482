import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generatedClassColor,
  hslToRgb,
  instanceColor,
  parseHexColor,
  toHexColor,
} from '../src/colors/colors.js';
import { finiteRange, rampColor, rampTexels, RAMPS } from '../src/colors/color-ramp.js';

test('hslToRgb matches hand-computed primaries and greys', () => {
  assert.deepEqual(hslToRgb(0, 1, 0.5), [255, 0, 0]);
  assert.deepEqual(hslToRgb(1 / 3, 1, 0.5), [0, 255, 0]);
  assert.deepEqual(hslToRgb(2 / 3, 1, 0.5), [0, 0, 255]);
  assert.deepEqual(hslToRgb(0.3, 0, 0.5), [128, 128, 128]);
  assert.deepEqual(hslToRgb(1 / 6, 1, 0.25), [128, 128, 0]);
});

test('generated class colours are deterministic and distinct for the first 64 ids', () => {
  const seen = new Set<string>();
  for (let id = 0; id < 64; id++) {
    const c = generatedClassColor(id);
    assert.deepEqual(c, generatedClassColor(id));
    assert.ok(c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
    seen.add(c.join(','));
  }
  assert.equal(seen.size, 64);
});

test('instance colours: grey for none, bright enough, distinct for neighbours', () => {
  assert.deepEqual(instanceColor(-1), [128, 128, 128]);
  const seen = new Set<string>();
  for (let id = 0; id < 200; id++) {
    const c = instanceColor(id);
    assert.ok(
      c.every((v) => v >= 40 && v <= 255),
      `${id}: ${c}`,
    );
    seen.add(c.join(','));
  }
  assert.equal(seen.size, 200);
});

test('hex colours parse and print', () => {
  assert.deepEqual(parseHexColor('#ff8000'), [255, 128, 0]);
  assert.deepEqual(parseHexColor('0A0b0C'), [10, 11, 12]);
  assert.equal(parseHexColor('#fff'), null);
  assert.equal(parseHexColor('zzzzzz'), null);
  assert.equal(toHexColor([255, 128, 0]), '#ff8000');
});

test('ramps hit their stops and interpolate linearly between them', () => {
  assert.deepEqual(rampColor('viridis', 0), [68, 1, 84]);
  assert.deepEqual(rampColor('viridis', 1), [253, 231, 37]);
  assert.deepEqual(rampColor('viridis', 0.25), [59, 82, 139]);
  // halfway between stop 0 and stop 1: (68+59)/2, (1+82)/2, (84+139)/2
  assert.deepEqual(rampColor('viridis', 0.125), [64, 42, 112]);
  assert.deepEqual(rampColor('grey', -5), [20, 20, 20], 'clamped below');
  assert.deepEqual(rampColor('grey', 7), [235, 235, 235], 'clamped above');
  const tex = rampTexels('redgreen');
  assert.equal(tex.length, 1024);
  assert.deepEqual([...tex.subarray(0, 4)], [...RAMPS.redgreen[0], 255]);
  assert.deepEqual([...tex.subarray(1020, 1024)], [...RAMPS.redgreen[4], 255]);
});

test('finiteRange skips NaN and infinities', () => {
  assert.deepEqual(finiteRange(new Float32Array([3, NaN, -2, Infinity, 5, -Infinity])), [-2, 5]);
  assert.equal(finiteRange(new Float32Array([NaN])), null);
  assert.equal(finiteRange([]), null);
});
