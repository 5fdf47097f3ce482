/**
 * PCD → PointCloud: x y z become positions, packed rgb/rgba become colours, normal_x/y/z,
 * label and instance are recognised by name, every other field goes to `properties` in its
 * declared type (a COUNT k field becomes name_0 … name_{k-1}; PCL's '_' padding is skipped).
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { columnsToCloud, interleave3 } from './cloud-fields.js';
import { FormatError } from './errors.js';
import { PACKED_COLOR_FIELDS } from './pcd-header.js';
import type { PcdData } from './pcd-parse.js';
import { newTypedArray } from './scalar.js';

/** Unpacks 0x00RRGGBB words into RGB bytes. */
export function unpackRgb(packed: ArrayLike<number>): Uint8Array {
  const n = packed.length;
  const out = new Uint8Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = packed[i];
    out[3 * i] = (v >>> 16) & 255;
    out[3 * i + 1] = (v >>> 8) & 255;
    out[3 * i + 2] = v & 255;
  }
  return out;
}

/** Converts parsed PCD data to the shared PointCloud. */
export function pcdToPointCloud(pcd: PcdData): PointCloud {
  const columns: Record<string, TypedArray> = {};
  let colors: Uint8Array | undefined;
  const n = pcd.points;
  pcd.header.fields.forEach((f, j) => {
    const v = pcd.values[j];
    if (f.name === '_') return;
    if (PACKED_COLOR_FIELDS.includes(f.name) && f.size === 4 && f.count === 1) {
      colors ??= unpackRgb(v);
      return;
    }
    if (f.count === 1) {
      columns[f.name] = v;
      return;
    }
    for (let k = 0; k < f.count; k++) {
      const col = newTypedArray(f.storage, n);
      for (let i = 0; i < n; i++) col[i] = v[i * f.count + k];
      columns[`${f.name}_${k}`] = col;
    }
  });
  const { x, y, z } = columns;
  if (!x || !y || !z) {
    const names = pcd.header.fields.map((f) => f.name).join(' ');
    throw new FormatError(pcd.file, `no x, y and z fields with COUNT 1 (FIELDS ${names})`);
  }
  return columnsToCloud(columns, interleave3(x, y, z), new Set(['x', 'y', 'z']), colors);
}
