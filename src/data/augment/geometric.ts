/**
 * Geometric augmentations: rotation (one axis, a random axis, or x/y/z in random order), scale,
 * flip, translation, centring and coordinate jitter. Matrices are sampled from the RNG; points,
 * normals and the recorded affine move together (see state.ts).
 */
import { z } from 'zod';
import { affineAbout, axisAngleRotation, axisRotation, mulMat3, type Mat3 } from '../../core/affine.js';
import { applyAffineStep, bounds, pivotOf, type AugState } from './state.js';
import { AXIS_INDEX, axisName, pivot, prob, range, withProbability, defineTransform } from './factory.js';
import type { Rng } from '../../core/rng.js';

/** Rotation about one coordinate axis, angle ~ U[range]. */
export function sampleAxisRotation(axis: 0 | 1 | 2, [lo, hi]: readonly [number, number], rng: Rng): Mat3 {
  return axisRotation(axis, rng.uniform(lo, hi));
}

/** PointContrast's rotation: axis ~ U[-0.5, 0.5]³ normalised, angle ~ U[range]. */
export function sampleRandomAxisRotation([lo, hi]: readonly [number, number], rng: Rng): Mat3 {
  let x = 0;
  let y = 0;
  let z = 0;
  let len = 0;
  while (len < 1e-6) {
    x = rng.next() - 0.5;
    y = rng.next() - 0.5;
    z = rng.next() - 0.5;
    len = Math.hypot(x, y, z);
  }
  return axisAngleRotation(x / len, y / len, z / len, rng.uniform(lo, hi));
}

/** Rotations about x, y and z (angles ~ U[range] each), multiplied in random order if asked. */
export function sampleXyzRotation(
  ranges: readonly (readonly [number, number])[],
  randomOrder: boolean,
  rng: Rng,
): Mat3 {
  const mats = [0, 1, 2].map((a) => sampleAxisRotation(a as 0 | 1 | 2, ranges[a], rng));
  if (randomOrder) rng.shuffle(mats);
  return mulMat3(mulMat3(mats[0], mats[1]), mats[2]);
}

/** Adds clip(σ·N(0,1), −clip, clip) to every coordinate (new array). */
export function jitterPositions(
  positions: Float32Array,
  sigma: number,
  clip: number,
  rng: Rng,
): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const d = sigma * rng.normal();
    out[i] = positions[i] + (d > clip ? clip : d < -clip ? -clip : d);
  }
  return out;
}

function linear(state: AugState, m: Mat3, mode: 'origin' | 'mean' | 'bbox'): AugState {
  return applyAffineStep(state, affineAbout(m, pivotOf(state.cloud.positions, mode)));
}

const rotate = defineTransform({
  doc: "rotation about axis x|y|z, or a random axis ('random', PointContrast), angle ~ U[range] radians",
  schema: z.strictObject({
    type: z.literal('rotate'),
    axis: z.enum(['x', 'y', 'z', 'random']),
    range,
    center: pivot,
    p: prob,
  }),
  create: ({ axis, range: r, center, p }) =>
    withProbability(p, (s, rng) =>
      linear(
        s,
        axis === 'random' ? sampleRandomAxisRotation(r, rng) : sampleAxisRotation(AXIS_INDEX[axis], r, rng),
        center,
      ),
    ),
});

const zero: [number, number] = [0, 0];

const rotateXyz = defineTransform({
  doc: 'rotations about x, y and z, each angle ~ U[range], composed in random order (randomOrder)',
  schema: z.strictObject({
    type: z.literal('rotate-xyz'),
    x: range.default(zero),
    y: range.default(zero),
    z: range.default(zero),
    randomOrder: z.boolean().default(true),
    center: pivot,
    p: prob,
  }),
  create: ({ x, y, z: rz, randomOrder, center, p }) =>
    withProbability(p, (s, rng) => linear(s, sampleXyzRotation([x, y, rz], randomOrder, rng), center)),
});

const scale = defineTransform({
  doc: 'scale by s ~ U[range] (one s, or one per axis if anisotropic)',
  schema: z.strictObject({
    type: z.literal('scale'),
    range: range.refine(([lo]) => lo > 0, { message: 'scale range must be positive' }),
    anisotropic: z.boolean().default(false),
    center: pivot,
    p: prob,
  }),
  create: ({ range: [lo, hi], anisotropic, center, p }) =>
    withProbability(p, (s, rng) => {
      const sx = rng.uniform(lo, hi);
      const sy = anisotropic ? rng.uniform(lo, hi) : sx;
      const sz = anisotropic ? rng.uniform(lo, hi) : sx;
      return linear(s, Float64Array.of(sx, 0, 0, 0, sy, 0, 0, 0, sz), center);
    }),
});

const flip = defineTransform({
  doc: 'with probability p, mirror each listed axis with probability pAxis (PointContrast: p 0.95, x and y at 0.5)',
  schema: z.strictObject({
    type: z.literal('flip'),
    axes: z.array(axisName).min(1).default(['x', 'y']),
    pAxis: z.number().min(0).max(1).default(0.5),
    center: pivot,
    p: prob,
  }),
  create: ({ axes, pAxis, center, p }) =>
    withProbability(p, (s, rng) => {
      const m = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
      let any = false;
      for (const a of axes) {
        if (rng.next() < pAxis) {
          const i = AXIS_INDEX[a];
          m[i * 4] = -m[i * 4];
          any = true;
        }
      }
      return any ? linear(s, m, center) : s;
    }),
});

const translate = defineTransform({
  doc: 'shift by (dx, dy, dz), each ~ U[range of that axis] metres',
  schema: z.strictObject({
    type: z.literal('translate'),
    x: range.default(zero),
    y: range.default(zero),
    z: range.default(zero),
    p: prob,
  }),
  create: ({ x, y, z: rz, p }) =>
    withProbability(p, (s, rng) => {
      const t = [rng.uniform(x[0], x[1]), rng.uniform(y[0], y[1]), rng.uniform(rz[0], rz[1])];
      return applyAffineStep(s, affineAbout(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), [0, 0, 0], t));
    }),
});

const center = defineTransform({
  doc: "move the cloud's mean or bbox centre to the origin ('bbox-floor': bbox centre in x/y, lowest point at z = 0)",
  schema: z.strictObject({
    type: z.literal('center'),
    pivot: z.enum(['mean', 'bbox', 'bbox-floor']).default('mean'),
    p: prob,
  }),
  create: ({ pivot: mode, p }) =>
    withProbability(p, (s) => {
      const pos = s.cloud.positions;
      const c = pivotOf(pos, mode === 'mean' ? 'mean' : 'bbox');
      if (mode === 'bbox-floor' && pos.length > 0) c[2] = bounds(pos)[0][2];
      return applyAffineStep(
        s,
        affineAbout(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), [0, 0, 0], [-c[0], -c[1], -c[2]]),
      );
    }),
});

const jitter = defineTransform({
  doc: 'add clip(sigma·N(0,1), ±clip) metres to every coordinate',
  schema: z.strictObject({
    type: z.literal('jitter'),
    sigma: z.number().min(0).default(0.01),
    clip: z.number().min(0).default(0.05),
    p: prob,
  }),
  create: ({ sigma, clip, p }) =>
    withProbability(p, (s, rng) => ({
      ...s,
      cloud: { ...s.cloud, positions: jitterPositions(s.cloud.positions, sigma, clip, rng) },
      affineExact: false,
    })),
});

/** The geometric transforms, by config name. */
export const GEOMETRIC_TRANSFORMS = {
  rotate,
  'rotate-xyz': rotateXyz,
  scale,
  flip,
  translate,
  center,
  jitter,
} as const;
