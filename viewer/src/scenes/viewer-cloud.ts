/**
 * The viewer's per-scene arrays, built from the shared PointCloud: gt / pred / instance as
 * Int32Array (GPU integer attributes), every other numeric property as a Float32Array scalar
 * field, bounds, and one shuffle for the point budget. Arrays travel by transfer, never as JSON.
 */
import type { PointCloud, TypedArray } from '../../../src/geometry/point-cloud.js';
import { permute, randomPermutation } from './shuffle.js';

/** A scene ready for the GPU. */
export interface ViewerCloud {
  count: number;
  positions: Float32Array;
  colors?: Uint8Array;
  gt?: Int32Array;
  pred?: Int32Array;
  instance?: Int32Array;
  /** Scalar fields by property name (confidence and any other numeric property). */
  scalars: Record<string, Float32Array>;
  /** File index of each (shuffled) point. */
  order: Uint32Array;
  bounds: { min: [number, number, number]; max: [number, number, number] };
}

/** Properties with their own role (not offered as scalar fields). */
const ROLE_PROPERTIES = new Set(['gt', 'pred', 'label', 'instance', 'instance_id', 'alpha']);

// new + set converts natively; TypedArray.from walks an iterator.
function asInt32(a: TypedArray): Int32Array {
  if (a instanceof Int32Array) return a;
  const out = new Int32Array(a.length);
  out.set(a);
  return out;
}
function asFloat32(a: TypedArray): Float32Array {
  if (a instanceof Float32Array) return a;
  const out = new Float32Array(a.length);
  out.set(a);
  return out;
}

function iota(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Axis-aligned bounds of the finite positions (zeros when there are none). */
export function computeBounds(positions: Float32Array): ViewerCloud['bounds'] {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  if (!(min[0] <= max[0])) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min, max };
}

/**
 * Converts a parsed cloud: `gt` comes from a `gt` property, else from `labels` (a plain scan's
 * `label`); `pred` from `pred`; `instance` from `instances` or an `instance` property.
 * With `shuffleSeed` (default 1) every array is permuted by one random permutation; null keeps file order.
 */
export function toViewerCloud(pc: PointCloud, shuffleSeed: number | null = 1): ViewerCloud {
  const count = pc.positions.length / 3;
  const props = pc.properties ?? {};
  for (const [name, a] of Object.entries(props)) {
    if (a.length !== count) throw new Error(`property '${name}' has ${a.length} values for ${count} points`);
  }
  const gt = props.gt ? asInt32(props.gt) : pc.labels;
  const pred = props.pred ? asInt32(props.pred) : undefined;
  const instance = pc.instances ?? (props.instance ? asInt32(props.instance) : undefined);
  const scalars: Record<string, Float32Array> = {};
  for (const [name, a] of Object.entries(props)) if (!ROLE_PROPERTIES.has(name)) scalars[name] = asFloat32(a);

  const perm = shuffleSeed === null ? null : randomPermutation(count, shuffleSeed);
  const p = <T extends Float32Array | Uint8Array | Int32Array>(a: T, stride = 1): T =>
    perm ? permute(a, perm, stride) : a;
  const cloud: ViewerCloud = {
    count,
    positions: p(pc.positions, 3),
    scalars: Object.fromEntries(Object.entries(scalars).map(([k, v]) => [k, p(v)])),
    order: perm ? permute(iota(count), perm) : iota(count),
    bounds: computeBounds(pc.positions),
  };
  if (pc.colors) cloud.colors = p(pc.colors, 3);
  if (gt) cloud.gt = p(gt);
  if (pred) cloud.pred = p(pred);
  if (instance) cloud.instance = p(instance);
  return cloud;
}

/** The ArrayBuffers of a cloud, for postMessage transfer lists. */
export function cloudBuffers(c: ViewerCloud): ArrayBuffer[] {
  const arrays = [c.positions, c.colors, c.gt, c.pred, c.instance, c.order, ...Object.values(c.scalars)];
  const out = new Set<ArrayBuffer>();
  for (const a of arrays) if (a) out.add(a.buffer as ArrayBuffer);
  return [...out];
}

/** A colour mode offered for a cloud: id (as in the URL) and menu label. */
export interface ModeOption {
  id: string;
  label: string;
}

/** The colour modes a cloud supports, in menu order; scalar fields are `f:<name>`. */
export function availableModes(c: ViewerCloud): ModeOption[] {
  const out: ModeOption[] = [];
  if (c.colors) out.push({ id: 'rgb', label: 'RGB' });
  if (c.gt) out.push({ id: 'gt', label: c.pred ? 'ground truth' : 'label' });
  if (c.pred) out.push({ id: 'pred', label: 'prediction' });
  if (c.gt && c.pred) out.push({ id: 'error', label: 'error (correct / wrong / ignored)' });
  if (c.scalars.confidence) out.push({ id: 'f:confidence', label: 'confidence' });
  if (c.instance) out.push({ id: 'instance', label: 'instance' });
  out.push({ id: 'height', label: 'height' });
  for (const name of Object.keys(c.scalars).sort()) {
    if (name !== 'confidence') out.push({ id: `f:${name}`, label: name });
  }
  return out;
}

/** The default mode: prediction, else label, else RGB, else height. */
export function defaultMode(c: ViewerCloud): string {
  return c.pred ? 'pred' : c.gt ? 'gt' : c.colors ? 'rgb' : 'height';
}
