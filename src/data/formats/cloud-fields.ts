/**
 * Which per-point properties become which PointCloud arrays (x y z → positions, red green blue
 * → colors, nx ny nz → normals, label → labels, instance → instances), shared by all formats,
 * and the small conversions that go with them.
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { scalarTypeOf } from './scalar.js';

/** Property-name triples read as normals, in order of preference. */
export const NORMAL_NAMES: readonly (readonly [string, string, string])[] = [
  ['nx', 'ny', 'nz'],
  ['normal_x', 'normal_y', 'normal_z'],
];

/** Property-name triples read as colours, in order of preference. */
export const COLOR_NAMES: readonly (readonly [string, string, string])[] = [
  ['red', 'green', 'blue'],
  ['r', 'g', 'b'],
  ['diffuse_red', 'diffuse_green', 'diffuse_blue'],
];

/** Property names read as semantic labels. */
export const LABEL_NAMES: readonly string[] = ['label'];

/** Property names read as instance ids. */
export const INSTANCE_NAMES: readonly string[] = ['instance', 'instance_id'];

/** Interleaves three columns into one x0 y0 z0 x1 … Float32Array. */
export function interleave3(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>): Float32Array {
  const n = a.length;
  const out = new Float32Array(3 * n);
  for (let i = 0, o = 0; i < n; i++, o += 3) {
    out[o] = a[i];
    out[o + 1] = b[i];
    out[o + 2] = c[i];
  }
  return out;
}

/** Scales a colour channel of any type to 0..255 (uchar as is, floats from 0..1, ushort from 0..65535). */
export function colorChannelScale(a: TypedArray): { scale: number; round: boolean } {
  const t = scalarTypeOf(a);
  if (t === 'uint8') return { scale: 1, round: false };
  if (t === 'float32' || t === 'float64') return { scale: 255, round: true };
  if (t === 'uint16') return { scale: 1 / 257, round: true };
  return { scale: 1, round: true };
}

/** Interleaves three colour channels into RGB bytes, converting the scale (see colorChannelScale). */
export function interleaveColors(r: TypedArray, g: TypedArray, b: TypedArray): Uint8Array {
  const n = r.length;
  const out = new Uint8Array(3 * n);
  const chans = [r, g, b];
  for (let k = 0; k < 3; k++) {
    const ch = chans[k];
    const { scale, round } = colorChannelScale(ch);
    if (!round) {
      for (let i = 0; i < n; i++) out[3 * i + k] = ch[i];
      continue;
    }
    for (let i = 0; i < n; i++) {
      const v = Math.round(ch[i] * scale);
      out[3 * i + k] = v < 0 ? 0 : v > 255 ? 255 : v; // NaN → 0 (Uint8Array store)
    }
  }
  return out;
}

/**
 * Builds a PointCloud from named per-point columns (the convention above); unclaimed columns go to
 * `properties` as they are. `colors`, when given (PCD packed rgb), replaces the colour lookup.
 */
export function columnsToCloud(
  columns: Record<string, TypedArray>,
  positions: Float32Array,
  claimed: Set<string>,
  colors?: Uint8Array,
): PointCloud {
  const cloud: PointCloud = { positions };
  if (colors) cloud.colors = colors;
  const normals = NORMAL_NAMES.find((t) => t.every((n) => columns[n]));
  if (normals) {
    cloud.normals = interleave3(columns[normals[0]], columns[normals[1]], columns[normals[2]]);
    for (const n of normals) claimed.add(n);
  }
  const rgb = colors ? undefined : COLOR_NAMES.find((t) => t.every((n) => columns[n]));
  if (rgb) {
    cloud.colors = interleaveColors(columns[rgb[0]], columns[rgb[1]], columns[rgb[2]]);
    for (const n of rgb) claimed.add(n);
  }
  const label = LABEL_NAMES.find((n) => columns[n]);
  if (label) {
    cloud.labels = toInt32(columns[label]);
    claimed.add(label);
  }
  const instance = INSTANCE_NAMES.find((n) => columns[n]);
  if (instance) {
    cloud.instances = toInt32(columns[instance]);
    claimed.add(instance);
  }
  const properties: Record<string, TypedArray> = {};
  let any = false;
  for (const [name, col] of Object.entries(columns)) {
    if (claimed.has(name)) continue;
    properties[name] = col;
    any = true;
  }
  if (any) cloud.properties = properties;
  return cloud;
}

/** The values as an Int32Array (shared, not copied, if they already are one). */
export function toInt32(a: TypedArray): Int32Array {
  return a instanceof Int32Array ? a : Int32Array.from(a);
}
