/**
 * PLY → PointCloud: the vertex element's x y z become positions, colours/normals/labels/instances
 * are recognised by name (cloud-fields.ts), every other vertex property stays in `properties`
 * with its declared type.
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';
import { columnsToCloud, interleave3 } from './cloud-fields.js';
import { FormatError } from './errors.js';
import { plyElement, type PlyData } from './ply-parse.js';

/** Converts parsed PLY data to the shared PointCloud (faces and other elements are not part of it). */
export function plyToPointCloud(ply: PlyData): PointCloud {
  const v = plyElement(ply, 'vertex');
  if (!v) throw new FormatError(ply.file, "no 'vertex' element in the header");
  const cols: Record<string, TypedArray> = v.columns;
  const { x, y, z } = cols;
  if (!x || !y || !z) {
    const names = v.properties.map((p) => p.name).join(' ');
    throw new FormatError(
      ply.file,
      `the vertex element has no x, y and z properties (found: ${names || 'none'})`,
    );
  }
  return columnsToCloud(cols, interleave3(x, y, z), new Set(['x', 'y', 'z']));
}
