import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  affineAbout,
  applyAffine,
  axisAngleRotation,
  axisRotation,
  composeAffine,
  invertAffine,
  mulMat3,
} from '../../src/core/affine.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol, `[${i}] ${a[i]} vs ${b[i]}`);
}

describe('affine helpers', () => {
  test('axis rotations by 90° map the unit axes as the right-hand rule says', () => {
    const p = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    const z = affineAbout(axisRotation(2, Math.PI / 2), [0, 0, 0]);
    close(applyAffine(z, p), [0, 1, 0, -1, 0, 0, 0, 0, 1], 1e-7);
    const x = affineAbout(axisRotation(0, Math.PI / 2), [0, 0, 0]);
    close(applyAffine(x, p), [1, 0, 0, 0, 0, 1, 0, -1, 0], 1e-7);
    const y = affineAbout(axisRotation(1, Math.PI / 2), [0, 0, 0]);
    close(applyAffine(y, p), [0, 0, -1, 0, 1, 0, 1, 0, 0], 1e-7);
  });

  test('Rodrigues about a coordinate axis equals the axis rotation', () => {
    close(axisAngleRotation(0, 0, 1, 0.7), axisRotation(2, 0.7));
    close(axisAngleRotation(1, 0, 0, -1.3), axisRotation(0, -1.3));
    // 120° about (1,1,1)/√3 cycles the axes x → y → z
    const s = 1 / Math.sqrt(3);
    close(axisAngleRotation(s, s, s, (2 * Math.PI) / 3), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  test('rotation about a pivot keeps the pivot fixed', () => {
    const a = affineAbout(axisRotation(2, Math.PI / 2), [1, 1, 0]);
    close(applyAffine(a, Float32Array.of(1, 1, 5, 2, 1, 0)), [1, 1, 5, 1, 2, 0], 1e-6);
  });

  test('compose and invert', () => {
    const a = affineAbout(mulMat3(axisRotation(0, 0.3), axisRotation(2, 1.1)), [0.5, -2, 3], [1, 2, 3]);
    const b = affineAbout(Float64Array.of(2, 0, 0, 0, 3, 0, 0, 0, -1), [0, 1, 0]);
    const p = Float32Array.of(0.1, 0.2, 0.3, -4, 5, 6);
    close(applyAffine(composeAffine(b, a), p), applyAffine(b, applyAffine(a, p)), 1e-5);
    close(composeAffine(invertAffine(a), a), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], 1e-12);
    close(composeAffine(b, invertAffine(b)), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], 1e-12);
  });
});
