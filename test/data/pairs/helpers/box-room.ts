/**
 * A tiny procedural room for the pair tests: axis-aligned rectangles (walls, floor, ceiling, a
 * table top and a cabinet), as a triangle mesh, as points sampled on a grid, and with an exact
 * point-to-surface distance (the oracle for back-projected frames).
 */
import type { PointCloud } from '../../../../src/geometry/point-cloud.js';
import type { TriangleMesh } from '../../../../src/data/rgbd/render.js';

/** An axis-aligned rectangle: `axis` is its normal axis at `at`, spanning lo..hi on the other two. */
interface Rect {
  axis: 0 | 1 | 2;
  at: number;
  lo: [number, number];
  hi: [number, number];
  color: [number, number, number];
}

export const ROOM = {
  min: [0, 0, 0] as [number, number, number],
  max: [5, 4, 2.8] as [number, number, number],
};

function boxRects(
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
  color: [number, number, number],
): Rect[] {
  return [
    { axis: 2, at: z1, lo: [x0, y0], hi: [x1, y1], color },
    { axis: 0, at: x0, lo: [y0, z0], hi: [y1, z1], color },
    { axis: 0, at: x1, lo: [y0, z0], hi: [y1, z1], color },
    { axis: 1, at: y0, lo: [x0, z0], hi: [x1, z1], color },
    { axis: 1, at: y1, lo: [x0, z0], hi: [x1, z1], color },
  ];
}

export const RECTS: Rect[] = [
  { axis: 2, at: 0, lo: [0, 0], hi: [5, 4], color: [150, 220, 140] },
  { axis: 2, at: 2.8, lo: [0, 0], hi: [5, 4], color: [240, 240, 240] },
  { axis: 0, at: 0, lo: [0, 0], hi: [4, 2.8], color: [170, 200, 230] },
  { axis: 0, at: 5, lo: [0, 0], hi: [4, 2.8], color: [175, 195, 235] },
  { axis: 1, at: 0, lo: [0, 0], hi: [5, 2.8], color: [180, 190, 220] },
  { axis: 1, at: 4, lo: [0, 0], hi: [5, 2.8], color: [165, 205, 225] },
  ...boxRects(1.5, 1.5, 0, 3, 2.5, 0.75, [255, 150, 150]), // table block
  ...boxRects(4.2, 0.2, 0, 4.8, 1.4, 1.8, [30, 120, 180]), // cabinet
];

/** The 3D corner of rect r at in-plane coordinates (a, b). */
function corner(r: Rect, a: number, b: number): number[] {
  const p = [0, 0, 0];
  p[r.axis] = r.at;
  const [i, j] = [0, 1, 2].filter((d) => d !== r.axis);
  p[i] = a;
  p[j] = b;
  return p;
}

/** The room as two triangles per rectangle, with colours. */
export function roomMesh(): TriangleMesh {
  const t: number[] = [];
  const c: number[] = [];
  for (const r of RECTS) {
    const [a0, b0] = r.lo;
    const [a1, b1] = r.hi;
    t.push(...corner(r, a0, b0), ...corner(r, a1, b0), ...corner(r, a1, b1));
    t.push(...corner(r, a0, b0), ...corner(r, a1, b1), ...corner(r, a0, b1));
    c.push(...r.color, ...r.color);
  }
  return { triangles: Float32Array.from(t), colors: Uint8Array.from(c) };
}

/** Points on every rectangle on a grid of `spacing` metres (cell centres), coloured. */
export function roomCloud(spacing: number): PointCloud {
  const p: number[] = [];
  const c: number[] = [];
  for (const r of RECTS) {
    for (let a = r.lo[0] + spacing / 2; a < r.hi[0]; a += spacing) {
      for (let b = r.lo[1] + spacing / 2; b < r.hi[1]; b += spacing) {
        p.push(...corner(r, a, b));
        c.push(...r.color);
      }
    }
  }
  return { positions: Float32Array.from(p), colors: Uint8Array.from(c) };
}

const OTHER: [number, number][] = [
  [1, 2],
  [0, 2],
  [0, 1],
];

/** Distance from (x, y, z) to the nearest rectangle. */
export function distanceToRoom(x: number, y: number, z: number): number {
  let best = Infinity;
  for (const r of RECTS) {
    const [i, j] = OTHER[r.axis];
    const qi = i === 0 ? x : y;
    const qj = j === 1 ? y : z;
    const da = Math.max(r.lo[0] - qi, 0, qi - r.hi[0]);
    const db = Math.max(r.lo[1] - qj, 0, qj - r.hi[1]);
    const dn = (r.axis === 0 ? x : r.axis === 1 ? y : z) - r.at;
    const d2 = da * da + db * db + dn * dn;
    if (d2 < best) best = d2;
  }
  return Math.sqrt(best);
}
