/**
 * Z-buffer rasterisation of triangles into a pinhole depth image (exact per-pixel depth: 1/z is
 * interpolated linearly in screen space, so a back-projected pixel lies on its triangle's plane).
 * Used to render synthetic RGB-D frames from parametric scene surfaces.
 */
import type { Intrinsics } from './camera.js';
import type { Mat4 } from './rigid.js';

/** A rendered frame: depth in metres (Infinity = empty) and the triangle seen at each pixel (-1 = none). */
export interface RasterFrame {
  depth: Float32Array;
  triangle: Int32Array;
}

/**
 * Rasterises T triangles (world coordinates, 9T floats: three x y z vertices each) seen from
 * `worldToCam`; triangles are two-sided and clipped at the `near` plane (default 0.05 m).
 */
export function rasterizeTriangles(
  triangles: Float32Array,
  k: Intrinsics,
  worldToCam: Mat4,
  near = 0.05,
): RasterFrame {
  const { width: w, height: h } = k;
  const depth = new Float32Array(w * h).fill(Infinity);
  const triangle = new Int32Array(w * h).fill(-1);
  const m = worldToCam;
  // clipped polygon: up to 4 vertices (camera x, y, z)
  const px = new Float64Array(8);
  const py = new Float64Array(8);
  const pz = new Float64Array(8);
  const cx = new Float64Array(3);
  const cy = new Float64Array(3);
  const cz = new Float64Array(3);
  const su = new Float64Array(8);
  const sv = new Float64Array(8);
  const iz = new Float64Array(8);
  const t = triangles.length / 9;
  for (let tri = 0; tri < t; tri++) {
    let behind = 0;
    for (let j = 0; j < 3; j++) {
      const o = tri * 9 + j * 3;
      const x = triangles[o];
      const y = triangles[o + 1];
      const z = triangles[o + 2];
      cx[j] = m[0] * x + m[1] * y + m[2] * z + m[3];
      cy[j] = m[4] * x + m[5] * y + m[6] * z + m[7];
      cz[j] = m[8] * x + m[9] * y + m[10] * z + m[11];
      if (cz[j] <= near) behind++;
    }
    if (behind === 3) continue;
    // Sutherland–Hodgman against z ≥ near
    let n = 0;
    for (let j = 0; j < 3; j++) {
      const a = j;
      const b = (j + 1) % 3;
      const ina = cz[a] > near;
      const inb = cz[b] > near;
      if (ina) {
        px[n] = cx[a];
        py[n] = cy[a];
        pz[n++] = cz[a];
      }
      if (ina !== inb) {
        const s = (near - cz[a]) / (cz[b] - cz[a]);
        px[n] = cx[a] + s * (cx[b] - cx[a]);
        py[n] = cy[a] + s * (cy[b] - cy[a]);
        pz[n++] = near;
      }
    }
    for (let j = 0; j < n; j++) {
      su[j] = (k.fx * px[j]) / pz[j] + k.cx;
      sv[j] = (k.fy * py[j]) / pz[j] + k.cy;
      iz[j] = 1 / pz[j];
    }
    for (let j = 1; j + 1 < n; j++) fillTriangle(su, sv, iz, 0, j, j + 1, w, h, depth, triangle, tri);
  }
  return { depth, triangle };
}

/** Fills screen triangle (a, b, c) of the clipped polygon into the buffers with a depth test. */
function fillTriangle(
  su: Float64Array,
  sv: Float64Array,
  iz: Float64Array,
  a: number,
  b: number,
  c: number,
  w: number,
  h: number,
  depth: Float32Array,
  triangle: Int32Array,
  tri: number,
): void {
  const area = (su[b] - su[a]) * (sv[c] - sv[a]) - (sv[b] - sv[a]) * (su[c] - su[a]);
  if (Math.abs(area) < 1e-12) return;
  const u0 = Math.max(0, Math.ceil(Math.min(su[a], su[b], su[c])));
  const u1 = Math.min(w - 1, Math.floor(Math.max(su[a], su[b], su[c])));
  const v0 = Math.max(0, Math.ceil(Math.min(sv[a], sv[b], sv[c])));
  const v1 = Math.min(h - 1, Math.floor(Math.max(sv[a], sv[b], sv[c])));
  const inv = 1 / area;
  for (let v = v0; v <= v1; v++) {
    for (let u = u0; u <= u1; u++) {
      const wa = ((su[b] - u) * (sv[c] - v) - (sv[b] - v) * (su[c] - u)) * inv;
      const wb = ((su[c] - u) * (sv[a] - v) - (sv[c] - v) * (su[a] - u)) * inv;
      const wc = 1 - wa - wb;
      if (wa < 0 || wb < 0 || wc < 0) continue;
      const z = 1 / (wa * iz[a] + wb * iz[b] + wc * iz[c]);
      const p = v * w + u;
      if (z < depth[p]) {
        depth[p] = z;
        triangle[p] = tri;
      }
    }
  }
}
