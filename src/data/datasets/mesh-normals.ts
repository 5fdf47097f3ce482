/**
 * Vertex normals of a triangle mesh: the area-weighted sum of adjacent face normals, normalised
 * (what ScanNet preprocessors compute from _vh_clean_2.ply faces). Pure typed-array code.
 */

/** Area-weighted unit vertex normals; `triangles` holds 3 vertex indices per face. Isolated vertices get 0,0,0. */
export function vertexNormals(
  positions: Float32Array,
  triangles: Uint32Array | Int32Array,
  file = 'mesh',
): Float32Array {
  const n = positions.length / 3;
  const acc = new Float64Array(n * 3);
  for (let f = 0; f < triangles.length; f += 3) {
    const a = triangles[f];
    const b = triangles[f + 1];
    const c = triangles[f + 2];
    if (a >= n || b >= n || c >= n || a < 0 || b < 0 || c < 0) {
      throw new Error(
        `${file}: face ${f / 3} references vertex ${Math.max(a, b, c)} but there are ${n} vertices`,
      );
    }
    const ux = positions[b * 3] - positions[a * 3];
    const uy = positions[b * 3 + 1] - positions[a * 3 + 1];
    const uz = positions[b * 3 + 2] - positions[a * 3 + 2];
    const vx = positions[c * 3] - positions[a * 3];
    const vy = positions[c * 3 + 1] - positions[a * 3 + 1];
    const vz = positions[c * 3 + 2] - positions[a * 3 + 2];
    // The cross product's length is twice the triangle area: summing it weights by area.
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    acc[a * 3] += nx;
    acc[a * 3 + 1] += ny;
    acc[a * 3 + 2] += nz;
    acc[b * 3] += nx;
    acc[b * 3 + 1] += ny;
    acc[b * 3 + 2] += nz;
    acc[c * 3] += nx;
    acc[c * 3 + 1] += ny;
    acc[c * 3 + 2] += nz;
  }
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const x = acc[i * 3];
    const y = acc[i * 3 + 1];
    const z = acc[i * 3 + 2];
    const len = Math.hypot(x, y, z);
    if (len > 0) {
      out[i * 3] = x / len;
      out[i * 3 + 1] = y / len;
      out[i * 3 + 2] = z / len;
    }
  }
  return out;
}
