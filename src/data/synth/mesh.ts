/**
 * Triangulates a scene's parametric surfaces (for renderers: depth images, partial views from
 * virtual cameras, the viewer). Triangles wind counter-clockwise seen from their visible side.
 */
import type { SynthSurface } from './shape.js';

/** An indexed triangle mesh with per-triangle label, instance, surface index and base colour. */
export interface SurfaceMesh {
  /** x y z per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
  /** Per triangle: train id, instance id (-1 for stuff), index into the surface list. */
  labels: Int32Array;
  instances: Int32Array;
  surfaces: Int32Array;
  /** Per triangle: the material's base colour (r g b, untextured, unshaded). */
  colors: Uint8Array;
}

function counts(s: SynthSurface, seg: number): [number, number] {
  if (s.kind === 'quad') return [4, 2];
  if (s.kind === 'frustum') return [2 * seg, 2 * seg];
  return s.r0 > 0 ? [2 * seg, 2 * seg] : [seg + 1, seg];
}

/** Triangulates `surfaces`; round surfaces get `segments` sides (their chords lie inside the true surface). */
export function surfaceMesh(surfaces: readonly SynthSurface[], segments = 24): SurfaceMesh {
  let nv = 0;
  let nt = 0;
  for (const s of surfaces) {
    const [v, t] = counts(s, segments);
    nv += v;
    nt += t;
  }
  const positions = new Float32Array(3 * nv);
  const indices = new Uint32Array(3 * nt);
  const labels = new Int32Array(nt);
  const instances = new Int32Array(nt);
  const surfaceIdx = new Int32Array(nt);
  const colors = new Uint8Array(3 * nt);
  let v = 0;
  let t = 0;
  const vert = (x: number, y: number, z: number) => {
    positions[3 * v] = x;
    positions[3 * v + 1] = y;
    positions[3 * v + 2] = z;
    return v++;
  };
  surfaces.forEach((s, si) => {
    const tri = (a: number, b: number, c: number, flip: boolean) => {
      indices[3 * t] = a;
      indices[3 * t + 1] = flip ? c : b;
      indices[3 * t + 2] = flip ? b : c;
      labels[t] = s.label;
      instances[t] = s.instance;
      surfaceIdx[t] = si;
      for (let k = 0; k < 3; k++) colors[3 * t + k] = Math.round(s.material.color[k]);
      t++;
    };
    if (s.kind === 'quad') {
      const [ox, oy, oz] = s.origin;
      const [ux, uy, uz] = s.u;
      const [vx, vy, vz] = s.v;
      const a = vert(ox, oy, oz);
      const b = vert(ox + ux, oy + uy, oz + uz);
      const c = vert(ox + ux + vx, oy + uy + vy, oz + uz + vz);
      const d = vert(ox + vx, oy + vy, oz + vz);
      tri(a, b, c, false);
      tri(a, c, d, false);
      return;
    }
    const [cx, cy] = s.center;
    const ring = (r: number, z: number) => {
      const first = v;
      for (let k = 0; k < segments; k++) {
        const phi = (2 * Math.PI * k) / segments;
        vert(cx + r * Math.cos(phi), cy + r * Math.sin(phi), z);
      }
      return first;
    };
    if (s.kind === 'frustum') {
      const b0 = ring(s.r0, s.z0);
      const t0 = ring(s.r1, s.z1);
      for (let k = 0; k < segments; k++) {
        const k1 = (k + 1) % segments;
        tri(b0 + k, b0 + k1, t0 + k1, s.inward);
        tri(b0 + k, t0 + k1, t0 + k, s.inward);
      }
      return;
    }
    const z = s.center[2];
    const flip = !s.up;
    if (s.r0 > 0) {
      const i0 = ring(s.r0, z);
      const o0 = ring(s.r1, z);
      for (let k = 0; k < segments; k++) {
        const k1 = (k + 1) % segments;
        tri(i0 + k, o0 + k, o0 + k1, flip);
        tri(i0 + k, o0 + k1, i0 + k1, flip);
      }
    } else {
      const c = vert(cx, cy, z);
      const o0 = ring(s.r1, z);
      for (let k = 0; k < segments; k++) tri(c, o0 + k, o0 + ((k + 1) % segments), flip);
    }
  });
  return { positions, indices, labels, instances, surfaces: surfaceIdx, colors };
}
