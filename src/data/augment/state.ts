/**
 * The state an augmentation pipeline threads through its steps: the current cloud, which input
 * point each current point came from (dropout/crop remove points), and the affine applied so far.
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { identityAffine, composeAffine, applyAffine, type Affine, type Mat3 } from '../../core/affine.js';
import type { Rng } from '../../core/rng.js';

/** What every augmentation step takes and returns. */
export interface AugState {
  /** The current (augmented) cloud; steps never mutate the arrays of their input. */
  cloud: PointCloud;
  /** For each current point, the index of its input point; null while no point was removed. */
  index: Int32Array | null;
  /** Affine x ↦ A·x + t that the rigid/scale/flip/translate steps applied, in order. */
  affine: Affine;
  /** False once a non-affine step (elastic, coordinate jitter) also moved the points. */
  affineExact: boolean;
}

/** One configured augmentation: a pure function of the state and a seeded RNG. */
export type AugmentStep = (state: AugState, rng: Rng) => AugState;

/** Where a rotation/scale/flip is centred. */
export type PivotMode = 'origin' | 'mean' | 'bbox';

/** The starting state for a cloud. */
export function initialState(cloud: PointCloud): AugState {
  return { cloud, index: null, affine: identityAffine(), affineExact: true };
}

/** Centre of the positions: origin, mean, or bounding-box centre. */
export function pivotOf(positions: Float32Array, mode: PivotMode): Float64Array {
  const out = new Float64Array(3);
  const n = positions.length / 3;
  if (mode === 'origin' || n === 0) return out;
  if (mode === 'mean') {
    for (let i = 0; i < positions.length; i += 3) {
      out[0] += positions[i];
      out[1] += positions[i + 1];
      out[2] += positions[i + 2];
    }
    out[0] /= n;
    out[1] /= n;
    out[2] /= n;
    return out;
  }
  const [lo, hi] = bounds(positions);
  for (let d = 0; d < 3; d++) out[d] = (lo[d] + hi[d]) / 2;
  return out;
}

/** Axis-aligned bounds [min, max] of 3N positions. */
export function bounds(positions: Float32Array): [Float64Array, Float64Array] {
  const lo = Float64Array.of(Infinity, Infinity, Infinity);
  const hi = Float64Array.of(-Infinity, -Infinity, -Infinity);
  for (let i = 0; i < positions.length; i += 3) {
    for (let d = 0; d < 3; d++) {
      const v = positions[i + d];
      if (v < lo[d]) lo[d] = v;
      if (v > hi[d]) hi[d] = v;
    }
  }
  return [lo, hi];
}

/** Normals under the linear part `m`: the inverse transpose, renormalised (new array). */
export function transformNormals(normals: Float32Array, m: Mat3): Float32Array {
  // cofactor matrix = det · inverse-transpose; the scale drops out on renormalisation
  const c0 = m[4] * m[8] - m[5] * m[7];
  const c1 = m[5] * m[6] - m[3] * m[8];
  const c2 = m[3] * m[7] - m[4] * m[6];
  const c3 = m[2] * m[7] - m[1] * m[8];
  const c4 = m[0] * m[8] - m[2] * m[6];
  const c5 = m[1] * m[6] - m[0] * m[7];
  const c6 = m[1] * m[5] - m[2] * m[4];
  const c7 = m[2] * m[3] - m[0] * m[5];
  const c8 = m[0] * m[4] - m[1] * m[3];
  const det = m[0] * c0 + m[1] * c1 + m[2] * c2;
  const sign = det < 0 ? -1 : 1;
  const out = new Float32Array(normals.length);
  for (let i = 0; i < normals.length; i += 3) {
    const x = normals[i];
    const y = normals[i + 1];
    const z = normals[i + 2];
    const nx = c0 * x + c1 * y + c2 * z;
    const ny = c3 * x + c4 * y + c5 * z;
    const nz = c6 * x + c7 * y + c8 * z;
    const len = Math.sqrt(nx * nx + ny * ny + nz * nz);
    const s = len > 0 ? sign / len : 0;
    out[i] = nx * s;
    out[i + 1] = ny * s;
    out[i + 2] = nz * s;
  }
  return out;
}

/** Applies an affine step (positions, normals, the recorded affine) to the state. */
export function applyAffineStep(state: AugState, step: Affine): AugState {
  const { cloud } = state;
  const next: PointCloud = { ...cloud, positions: applyAffine(step, cloud.positions) };
  if (cloud.normals) {
    const m = Float64Array.of(
      step[0],
      step[1],
      step[2],
      step[4],
      step[5],
      step[6],
      step[8],
      step[9],
      step[10],
    );
    next.normals = transformNormals(cloud.normals, m);
  }
  return { ...state, cloud: next, affine: composeAffine(step, state.affine) };
}

function pick<T extends TypedArray>(arr: T, keep: Int32Array, stride: 1 | 3): T {
  const out = new (arr.constructor as new (n: number) => T)(keep.length * stride);
  if (stride === 3) {
    for (let k = 0, o = 0; k < keep.length; k++, o += 3) {
      const s = keep[k] * 3;
      out[o] = arr[s];
      out[o + 1] = arr[s + 1];
      out[o + 2] = arr[s + 2];
    }
  } else {
    for (let k = 0; k < keep.length; k++) out[k] = arr[keep[k]];
  }
  return out;
}

/** The points `keep` (indices, any order) of a cloud, every per-point array included. */
export function subsetCloud(cloud: PointCloud, keep: Int32Array): PointCloud {
  const out: PointCloud = { positions: pick(cloud.positions, keep, 3) };
  if (cloud.colors) out.colors = pick(cloud.colors, keep, 3);
  if (cloud.normals) out.normals = pick(cloud.normals, keep, 3);
  if (cloud.labels) out.labels = pick(cloud.labels, keep, 1);
  if (cloud.instances) out.instances = pick(cloud.instances, keep, 1);
  if (cloud.properties) {
    out.properties = {};
    for (const [k, v] of Object.entries(cloud.properties)) out.properties[k] = pick(v, keep, 1);
  }
  return out;
}

/** Keeps the current points `keep` and composes the input-index map. */
export function applySubsetStep(state: AugState, keep: Int32Array): AugState {
  const prev = state.index;
  let index: Int32Array;
  if (prev) {
    index = new Int32Array(keep.length);
    for (let k = 0; k < keep.length; k++) index[k] = prev[keep[k]];
  } else {
    index = keep;
  }
  return { ...state, cloud: subsetCloud(state.cloud, keep), index };
}

/** For an input of `inputCount` points: input index → current index, or -1 if removed. */
export function inputToCurrent(state: AugState, inputCount: number): Int32Array {
  const out = new Int32Array(inputCount);
  if (!state.index) {
    for (let i = 0; i < inputCount; i++) out[i] = i;
    return out;
  }
  out.fill(-1);
  const idx = state.index;
  for (let k = 0; k < idx.length; k++) out[idx[k]] = k;
  return out;
}
