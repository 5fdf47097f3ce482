/**
 * PCD writer (VERSION 0.7) for a PointCloud: x y z, packed rgb (F 4, the PCL PointXYZRGB
 * layout), normal_x/y/z, label and instance (I 4), then every extra property, in ascii, binary
 * or binary_compressed (LZF, field-major).
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { lzfCompress } from './lzf.js';
import { SCALAR_SIZE, scalarTypeOf, writeColumn, type ScalarType } from './scalar.js';
import type { PcdDataKind } from './pcd-header.js';
import { formatExact } from './text-scanner.js';

/** Options of writePcd. */
export interface WritePcdOptions {
  /** Body encoding; default binary_compressed. */
  data?: PcdDataKind;
  /** Organized dimensions (WIDTH × HEIGHT must equal the point count); default N × 1. */
  width?: number;
  height?: number;
}

interface OutField {
  name: string;
  storage: ScalarType;
  /** PCD TYPE letter. */
  type: 'I' | 'U' | 'F';
  values: ArrayLike<number>;
}

const PCD_TYPE: Record<ScalarType, 'I' | 'U' | 'F'> = {
  int8: 'I',
  int16: 'I',
  int32: 'I',
  uint8: 'U',
  uint16: 'U',
  uint32: 'U',
  float32: 'F',
  float64: 'F',
};

function component(a: Float32Array, k: number): Float32Array {
  const n = a.length / 3;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = a[3 * i + k];
  return out;
}

function collectFields(cloud: PointCloud): OutField[] {
  const n = cloud.positions.length / 3;
  const fields: OutField[] = [];
  const add = (name: string, values: TypedArray, type?: 'F') => {
    if (fields.some((f) => f.name === name)) throw new Error(`writePcd: field '${name}' is given twice`);
    if (values.length !== n)
      throw new Error(`writePcd: field '${name}' has ${values.length} values for ${n} points`);
    const storage = scalarTypeOf(values);
    fields.push({ name, storage, type: type ?? PCD_TYPE[storage], values });
  };
  ['x', 'y', 'z'].forEach((c, k) => add(c, component(cloud.positions, k)));
  if (cloud.colors) {
    const c = cloud.colors;
    const packed = new Uint32Array(n);
    for (let i = 0; i < n; i++) packed[i] = (c[3 * i] << 16) | (c[3 * i + 1] << 8) | c[3 * i + 2];
    add('rgb', packed, 'F');
  }
  if (cloud.normals)
    ['normal_x', 'normal_y', 'normal_z'].forEach((c, k) => add(c, component(cloud.normals!, k)));
  if (cloud.labels) add('label', cloud.labels);
  if (cloud.instances) add('instance', cloud.instances);
  for (const [name, values] of Object.entries(cloud.properties ?? {})) add(name, values);
  return fields;
}

/** Writes a cloud as a PCD file. */
export function writePcd(cloud: PointCloud, opts: WritePcdOptions = {}): Uint8Array {
  const n = cloud.positions.length / 3;
  const width = opts.width ?? n;
  const height = opts.height ?? 1;
  if (width * height !== n) throw new Error(`writePcd: width ${width} × height ${height} ≠ ${n} points`);
  const data = opts.data ?? 'binary_compressed';
  const fields = collectFields(cloud);
  const header = [
    '# .PCD v0.7 - Point Cloud Data file format',
    'VERSION 0.7',
    `FIELDS ${fields.map((f) => f.name).join(' ')}`,
    `SIZE ${fields.map((f) => SCALAR_SIZE[f.storage]).join(' ')}`,
    `TYPE ${fields.map((f) => f.type).join(' ')}`,
    `COUNT ${fields.map(() => 1).join(' ')}`,
    `WIDTH ${width}`,
    `HEIGHT ${height}`,
    'VIEWPOINT 0 0 0 1 0 0 0',
    `POINTS ${n}`,
    `DATA ${data}`,
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
  let body: Uint8Array;
  if (data === 'ascii') {
    const rows: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      rows[i] = `${fields.map((f) => formatExact(f.values[i], f.storage === 'float32')).join(' ')}\n`;
    }
    body = new TextEncoder().encode(rows.join(''));
  } else {
    const stride = fields.reduce((s, f) => s + SCALAR_SIZE[f.storage], 0);
    const raw = new Uint8Array(n * stride);
    const dv = new DataView(raw.buffer);
    let o = 0;
    for (const f of fields) {
      // binary: point-major (interleaved); binary_compressed: field-major (each field contiguous).
      if (data === 'binary') writeColumn(dv, f.storage, f.values, o, stride, true);
      else writeColumn(dv, f.storage, f.values, o * n, SCALAR_SIZE[f.storage], true);
      o += SCALAR_SIZE[f.storage];
    }
    if (data === 'binary') body = raw;
    else {
      const c = lzfCompress(raw);
      body = new Uint8Array(8 + c.length);
      const bdv = new DataView(body.buffer);
      bdv.setUint32(0, c.length, true);
      bdv.setUint32(4, raw.length, true);
      body.set(c, 8);
    }
  }
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}
