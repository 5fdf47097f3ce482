/**
 * Scalar element types shared by the PLY and PCD codecs: sizes, typed-array constructors and
 * strided column reads/writes through a DataView (no per-point objects).
 */
import type { TypedArray } from '../../geometry/point-cloud.js';

/** A numeric element type, named after its typed array. */
export type ScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** Bytes per value. */
export const SCALAR_SIZE: Record<ScalarType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

const CTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Inclusive value range of the integer types. */
export const INT_RANGE: Partial<Record<ScalarType, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** True for float32/float64. */
export function isFloatType(t: ScalarType): boolean {
  return t === 'float32' || t === 'float64';
}

/** A zero-filled typed array of `n` values of type `t`. */
export function newTypedArray(t: ScalarType, n: number): TypedArray {
  return new CTORS[t](n);
}

/** The scalar type a typed array stores. */
export function scalarTypeOf(a: TypedArray): ScalarType {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Uint16Array) return 'uint16';
  if (a instanceof Int16Array) return 'int16';
  if (a instanceof Uint32Array) return 'uint32';
  if (a instanceof Int8Array) return 'int8';
  throw new TypeError('not a supported typed array');
}

/** Reads one value at byte `off`. */
export function readScalar(dv: DataView, t: ScalarType, off: number, le: boolean): number {
  switch (t) {
    case 'int8':
      return dv.getInt8(off);
    case 'uint8':
      return dv.getUint8(off);
    case 'int16':
      return dv.getInt16(off, le);
    case 'uint16':
      return dv.getUint16(off, le);
    case 'int32':
      return dv.getInt32(off, le);
    case 'uint32':
      return dv.getUint32(off, le);
    case 'float32':
      return dv.getFloat32(off, le);
    case 'float64':
      return dv.getFloat64(off, le);
  }
}

/** Writes one value at byte `off`. */
export function writeScalar(dv: DataView, t: ScalarType, off: number, v: number, le: boolean): void {
  switch (t) {
    case 'int8':
      return dv.setInt8(off, v);
    case 'uint8':
      return dv.setUint8(off, v);
    case 'int16':
      return dv.setInt16(off, v, le);
    case 'uint16':
      return dv.setUint16(off, v, le);
    case 'int32':
      return dv.setInt32(off, v, le);
    case 'uint32':
      return dv.setUint32(off, v, le);
    case 'float32':
      return dv.setFloat32(off, v, le);
    case 'float64':
      return dv.setFloat64(off, v, le);
  }
}

/**
 * Reads `n` values of type `t` starting at byte `start`, `stride` bytes apart, into a new typed
 * array (one tight loop per type so V8 keeps each monomorphic). The caller checks the bounds.
 */
export function readColumn(
  dv: DataView,
  t: ScalarType,
  start: number,
  stride: number,
  n: number,
  le: boolean,
): TypedArray {
  let o = start;
  switch (t) {
    case 'int8': {
      const a = new Int8Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getInt8(o);
      return a;
    }
    case 'uint8': {
      const a = new Uint8Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getUint8(o);
      return a;
    }
    case 'int16': {
      const a = new Int16Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getInt16(o, le);
      return a;
    }
    case 'uint16': {
      const a = new Uint16Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getUint16(o, le);
      return a;
    }
    case 'int32': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getInt32(o, le);
      return a;
    }
    case 'uint32': {
      const a = new Uint32Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getUint32(o, le);
      return a;
    }
    case 'float32': {
      const a = new Float32Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getFloat32(o, le);
      return a;
    }
    case 'float64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++, o += stride) a[i] = dv.getFloat64(o, le);
      return a;
    }
  }
}

/** Writes all values of `a` as type `t` starting at byte `start`, `stride` bytes apart. */
export function writeColumn(
  dv: DataView,
  t: ScalarType,
  a: ArrayLike<number>,
  start: number,
  stride: number,
  le: boolean,
): void {
  const n = a.length;
  let o = start;
  switch (t) {
    case 'int8':
      for (let i = 0; i < n; i++, o += stride) dv.setInt8(o, a[i]);
      return;
    case 'uint8':
      for (let i = 0; i < n; i++, o += stride) dv.setUint8(o, a[i]);
      return;
    case 'int16':
      for (let i = 0; i < n; i++, o += stride) dv.setInt16(o, a[i], le);
      return;
    case 'uint16':
      for (let i = 0; i < n; i++, o += stride) dv.setUint16(o, a[i], le);
      return;
    case 'int32':
      for (let i = 0; i < n; i++, o += stride) dv.setInt32(o, a[i], le);
      return;
    case 'uint32':
      for (let i = 0; i < n; i++, o += stride) dv.setUint32(o, a[i], le);
      return;
    case 'float32':
      for (let i = 0; i < n; i++, o += stride) dv.setFloat32(o, a[i], le);
      return;
    case 'float64':
      for (let i = 0; i < n; i++, o += stride) dv.setFloat64(o, a[i], le);
      return;
  }
}

/** Index of the first value of `a` outside the range of integer type `t` (or not an integer), else -1. */
export function firstOutOfRange(a: ArrayLike<number>, t: ScalarType): number {
  const r = INT_RANGE[t];
  if (!r) return -1;
  const [lo, hi] = r;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!(v >= lo && v <= hi) || Math.floor(v) !== v) return i;
  }
  return -1;
}
