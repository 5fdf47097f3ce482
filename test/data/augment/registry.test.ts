import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TRANSFORMS, parseTransforms } from '../../../src/data/augment/registry.js';
import { RECIPES } from '../../../src/data/augment/recipes.js';
import { transformBoxes } from '../../../src/data/augment/boxes.js';
import { affineAbout, axisRotation } from '../../../src/core/affine.js';
import { close, randomCloud, run } from './helpers.js';

describe('transform configs', () => {
  test('defaults are filled in (PointContrast values)', () => {
    const [e, f, d] = parseTransforms([
      { type: 'elastic', p: 0.95 },
      { type: 'flip', p: 0.95 },
      { type: 'dropout', p: 0.2 },
    ]);
    assert.deepEqual(e, {
      type: 'elastic',
      params: [
        [0.2, 0.4],
        [0.8, 1.6],
      ],
      p: 0.95,
    });
    assert.deepEqual(f, { type: 'flip', axes: ['x', 'y'], pAxis: 0.5, center: 'mean', p: 0.95 });
    assert.deepEqual(d, { type: 'dropout', ratio: 0.2, p: 0.2 });
  });

  test('a typo in a key is an error naming the item and the key', () => {
    assert.throws(
      () =>
        parseTransforms(
          [
            { type: 'scale', range: [0.9, 1.1] },
            { type: 'rotate', axis: 'z', rnage: [0, 1] },
          ],
          'data.transforms',
        ),
      (e: Error) =>
        /data\.transforms\[1\]\.rnage: unknown key/.test(e.message) &&
        /data\.transforms\[1\]\.range/.test(e.message),
    );
  });

  test('unknown types, bad values and bad shapes name what was expected', () => {
    assert.throws(
      () => parseTransforms([{ type: 'rotat' }]),
      /transforms\[0\]\.type: unknown transform "rotat" \(expected one of: rotate, /,
    );
    assert.throws(() => parseTransforms([{ type: 'flip', p: 1.5 }]), /transforms\[0\]\.p: /);
    assert.throws(
      () => parseTransforms([{ type: 'rotate', axis: 'w', range: [0, 1] }]),
      /transforms\[0\]\.axis: /,
    );
    assert.throws(
      () => parseTransforms([{ type: 'scale', range: [1.1, 0.9] }]),
      /transforms\[0\]\.range: expected \[lo, hi\]/,
    );
    assert.throws(
      () => parseTransforms([{ type: 'crop', shape: 'box' }]),
      /transforms\[0\]\.size: box crop needs size/,
    );
    assert.throws(
      () => parseTransforms([{ type: 'crop' }]),
      /transforms\[0\]\.radius: sphere crop needs radius or maxPoints/,
    );
    assert.throws(() => parseTransforms([['rotate']]), /transforms\[0\]: expected an object/);
    assert.throws(
      () => parseTransforms({ type: 'rotate' }),
      /transforms: expected a list of transforms or a recipe name/,
    );
    assert.throws(
      () => parseTransforms('scannet'),
      /unknown recipe .scannet. \(expected a list of transforms or one of: none, pointcontrast-pair/,
    );
  });

  test('every registered transform has a doc line and runs on a full cloud without touching the input', () => {
    const minimal: Record<string, object> = {
      rotate: { axis: 'z', range: [-1, 1] },
      scale: { range: [0.9, 1.1] },
      crop: { radius: 1 },
    };
    const c = randomCloud(400, 9);
    const copy = structuredClone(c);
    for (const name of Object.keys(TRANSFORMS) as (keyof typeof TRANSFORMS)[]) {
      assert.ok(TRANSFORMS[name].doc.length > 10);
      const s = run(c, [{ type: name, ...minimal[name] }], 3);
      assert.ok(s.cloud.positions.length > 0, name);
    }
    assert.deepEqual(c, copy);
  });
});

describe('transformBoxes', () => {
  const box = {
    label: 3,
    instance: 1,
    center: [1, 2, 3] as [number, number, number],
    size: [2, 4, 6] as [number, number, number],
  };

  test('a 90° rotation about z swaps the x/y extents and moves the centre', () => {
    const [b] = transformBoxes([box], affineAbout(axisRotation(2, Math.PI / 2), [0, 0, 0]));
    close(b.center, [-2, 1, 3], 1e-12);
    close(b.size, [4, 2, 6], 1e-12);
    assert.equal(b.label, 3);
  });

  test('a 45° rotation gives the bound of the rotated corners', () => {
    const [b] = transformBoxes(
      [{ ...box, center: [0, 0, 0], size: [2, 2, 2] }],
      affineAbout(axisRotation(2, Math.PI / 4), [0, 0, 0]),
    );
    close(b.size, [2 * Math.SQRT2, 2 * Math.SQRT2, 2], 1e-12);
  });

  test('boxes whose instance lost every point are dropped', () => {
    const id = affineAbout(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), [0, 0, 0]);
    const out = transformBoxes([box, { ...box, instance: 2 }], id, Int32Array.of(2, 2, -1));
    assert.deepEqual(
      out.map((b) => b.instance),
      [2],
    );
  });
});

describe('recipes', () => {
  test('every recipe validates; scannet-seg is the PointContrast downstream chain in order', () => {
    for (const name of Object.keys(RECIPES)) parseTransforms(name);
    const seg = parseTransforms('scannet-seg');
    assert.deepEqual(
      seg.map((t) => [t.type, t.p]),
      [
        ['elastic', 0.95],
        ['rotate-xyz', 1],
        ['scale', 1],
        ['dropout', 0.2],
        ['flip', 0.95],
        ['chromatic-auto-contrast', 0.2],
        ['chromatic-translation', 0.95],
        ['chromatic-jitter', 0.95],
      ],
    );
    const first = seg[0];
    assert.ok(first.type === 'elastic');
    first.params[0][0] = 99; // a parsed recipe is a copy: the registry entry is unchanged
    const again = parseTransforms('scannet-seg')[0];
    assert.ok(again.type === 'elastic' && again.params[0][0] === 0.2);
  });
});
