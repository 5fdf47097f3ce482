/**
 * Turns parametric surfaces into a scanner-like point cloud: area-weighted sampling at a given
 * density, occlusion by solids (contact faces, backs against walls, undersides on the floor),
 * textured and shaded colours, exact normals, Gaussian position noise from its own stream.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { SceneSolid, SynthSurface, Vec3 } from './shape.js';
import { textureColor } from './materials.js';
import { Rng } from '../../core/rng.js';
import { STREAM } from './streams.js';

/** Options of `sampleSurfaces`. */
export interface SampleOptions {
  /** Points per m² of surface (before occlusion). */
  pointsPerM2: number;
  /** Standard deviation of the Gaussian position noise per axis, metres. */
  noise: number;
  /** Seed of the sampling and noise streams. */
  seed: number;
  /** Direction towards the light (need not be unit). */
  light?: Vec3;
  /** Global brightness factor. */
  exposure?: number;
  /** Per-point colour noise standard deviation (0..255 units). */
  colorNoise?: number;
  /** Points within this distance of another solid are hidden (metres). */
  contactEps?: number;
  /** Adds `properties.surface` (Int32Array): the index of the surface each point was drawn from. */
  surfaceIds?: boolean;
}

const SOLID_STRIDE = 16; // kind cx cy z0 z1 hx+eps hy+eps cos sin r0 r1 (unused) minx miny maxx maxy

/** Area of a surface in m². */
export function surfaceArea(s: SynthSurface): number {
  if (s.kind === 'quad') {
    const [ux, uy, uz] = s.u;
    const [vx, vy, vz] = s.v;
    return Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx);
  }
  if (s.kind === 'frustum') return Math.PI * (s.r0 + s.r1) * Math.hypot(s.r1 - s.r0, s.z1 - s.z0);
  return Math.PI * (s.r1 * s.r1 - s.r0 * s.r0);
}

/** Axis-aligned bounds [minx, miny, minz, maxx, maxy, maxz] of a surface. */
export function surfaceBounds(s: SynthSurface): [number, number, number, number, number, number] {
  if (s.kind === 'quad') {
    const b: [number, number, number, number, number, number] = [
      Infinity,
      Infinity,
      Infinity,
      -Infinity,
      -Infinity,
      -Infinity,
    ];
    for (const [a, c] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]) {
      for (let k = 0; k < 3; k++) {
        const v = s.origin[k] + a * s.u[k] + c * s.v[k];
        if (v < b[k]) b[k] = v;
        if (v > b[k + 3]) b[k + 3] = v;
      }
    }
    return b;
  }
  if (s.kind === 'frustum') {
    const r = Math.max(s.r0, s.r1);
    return [s.center[0] - r, s.center[1] - r, s.z0, s.center[0] + r, s.center[1] + r, s.z1];
  }
  const [x, y, z] = s.center;
  return [x - s.r1, y - s.r1, z, x + s.r1, y + s.r1, z];
}

/** Per-surface constants of the parametrisation (a frustum's normal varies per point: 0 here). */
interface SurfaceFrame {
  normal: Vec3;
  /** Lengths of a quad's edges u and v. */
  lenU: number;
  lenV: number;
  /** Slant height of a frustum. */
  slant: number;
}

function surfaceFrame(s: SynthSurface): SurfaceFrame {
  if (s.kind === 'quad') {
    const [ux, uy, uz] = s.u;
    const [vx, vy, vz] = s.v;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    const nl = Math.hypot(nx, ny, nz);
    return {
      normal: [nx / nl, ny / nl, nz / nl],
      lenU: Math.hypot(ux, uy, uz),
      lenV: Math.hypot(vx, vy, vz),
      slant: 0,
    };
  }
  if (s.kind === 'frustum') {
    return { normal: [0, 0, 0], lenU: 0, lenV: 0, slant: Math.hypot(s.r1 - s.r0, s.z1 - s.z0) };
  }
  return { normal: [0, 0, s.up ? 1 : -1], lenU: 0, lenV: 0, slant: 0 };
}

function packSolids(solids: readonly SceneSolid[], eps: number): Float64Array {
  const t = new Float64Array(solids.length * SOLID_STRIDE);
  solids.forEach((b, i) => {
    const o = i * SOLID_STRIDE;
    const isBox = b.kind === 'box';
    const c = Math.cos(b.angle);
    const s = Math.sin(b.angle);
    const ex = isBox ? Math.abs(c) * b.hx + Math.abs(s) * b.hy : Math.max(b.r0, b.r1);
    const ey = isBox ? Math.abs(s) * b.hx + Math.abs(c) * b.hy : Math.max(b.r0, b.r1);
    t[o] = isBox ? 0 : 1;
    t[o + 1] = b.cx;
    t[o + 2] = b.cy;
    t[o + 3] = b.z0;
    t[o + 4] = b.z1;
    t[o + 5] = b.hx + eps;
    t[o + 6] = b.hy + eps;
    t[o + 7] = c;
    t[o + 8] = s;
    t[o + 9] = b.r0;
    t[o + 10] = b.r1;
    t[o + 12] = b.cx - ex - eps;
    t[o + 13] = b.cy - ey - eps;
    t[o + 14] = b.cx + ex + eps;
    t[o + 15] = b.cy + ey + eps;
  });
  return t;
}

/** True when (x, y, z) lies inside packed solid `o` grown by eps. */
function insideSolid(t: Float64Array, o: number, x: number, y: number, z: number, eps: number): boolean {
  const z0 = t[o + 3];
  const z1 = t[o + 4];
  if (z < z0 - eps || z > z1 + eps) return false;
  const dx = x - t[o + 1];
  const dy = y - t[o + 2];
  if (t[o] === 0) {
    const c = t[o + 7];
    const s = t[o + 8];
    return Math.abs(c * dx + s * dy) <= t[o + 5] && Math.abs(c * dy - s * dx) <= t[o + 6];
  }
  const f = z1 > z0 ? Math.min(1, Math.max(0, (z - z0) / (z1 - z0))) : 0;
  const r = t[o + 9] + (t[o + 10] - t[o + 9]) * f + eps;
  return dx * dx + dy * dy <= r * r;
}

/** A sampled cloud plus, per instance id, the bounds of its points before noise. */
export interface SampledCloud {
  cloud: PointCloud;
  /** [minx, miny, minz, maxx, maxy, maxz] per instance id (±Infinity when it got no point). */
  instanceBounds: Float64Array;
}

/** Samples `surfaces` into a point cloud (labels = surface labels, instances = surface instances). */
export function sampleSurfaces(
  surfaces: readonly SynthSurface[],
  solids: readonly SceneSolid[],
  opts: SampleOptions,
): PointCloud {
  return sampleWithBounds(surfaces, solids, opts).cloud;
}

/** `sampleSurfaces` that also returns the noise-free bounds of every instance's points. */
export function sampleWithBounds(
  surfaces: readonly SynthSurface[],
  solids: readonly SceneSolid[],
  opts: SampleOptions,
): SampledCloud {
  const eps = opts.contactEps ?? 0.002;
  const rng = Rng.stream(opts.seed, STREAM.sample);
  const noiseRng = Rng.stream(opts.seed, STREAM.noise);
  const light = opts.light ?? [0.3, 0.2, 1];
  const ln = Math.hypot(...light);
  const lx = light[0] / ln;
  const ly = light[1] / ln;
  const lz = light[2] / ln;
  const exposure = opts.exposure ?? 1;
  const colorNoise = opts.colorNoise ?? 3;
  const sigma = opts.noise;

  const counts = new Int32Array(surfaces.length);
  let total = 0;
  for (let i = 0; i < surfaces.length; i++) {
    const s = surfaces[i];
    const n = surfaceArea(s) * opts.pointsPerM2 * (s.material.density ?? 1);
    const k = Math.floor(n);
    counts[i] = k + (rng.next() < n - k ? 1 : 0);
    total += counts[i];
  }

  const table = packSolids(solids, eps);
  const positions = new Float32Array(total * 3);
  const normals = new Float32Array(total * 3);
  const colors = new Uint8Array(total * 3);
  const labels = new Int32Array(total);
  const instances = new Int32Array(total);
  const surfaceIdx = opts.surfaceIds ? new Int32Array(total) : undefined;
  let nInst = 0;
  for (const s of surfaces) nInst = Math.max(nInst, s.instance + 1);
  const bounds = new Float64Array(6 * nInst);
  for (let k = 0; k < nInst; k++)
    bounds.set([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity], 6 * k);
  const cand = new Int32Array(solids.length);
  const rgb = new Float64Array(3);
  let m = 0;

  for (let i = 0; i < surfaces.length; i++) {
    const count = counts[i];
    if (count === 0) continue;
    const s = surfaces[i];
    const [bx0, by0, bz0, bx1, by1, bz1] = surfaceBounds(s);
    let nc = 0;
    for (let k = 0; k < solids.length; k++) {
      if (k === s.solid) continue;
      const o = k * SOLID_STRIDE;
      if (table[o + 12] > bx1 || table[o + 14] < bx0 || table[o + 13] > by1 || table[o + 15] < by0) continue;
      if (table[o + 3] - eps > bz1 || table[o + 4] + eps < bz0) continue;
      cand[nc++] = o;
    }
    const mat = s.material;
    const uvA = mat.uv ? mat.uv[0] : 0;
    const uvB = mat.uv ? mat.uv[1] : 0;
    const texSeed = mat.seed ?? i;
    const { normal, lenU, lenV, slant } = surfaceFrame(s);
    // A frustum's normal is set per point below.
    let [nx, ny, nz] = normal;
    for (let j = 0; j < count; j++) {
      let x: number;
      let y: number;
      let z: number;
      let ta: number;
      let tb: number;
      if (s.kind === 'quad') {
        const a = rng.next();
        const b = rng.next();
        x = s.origin[0] + a * s.u[0] + b * s.v[0];
        y = s.origin[1] + a * s.u[1] + b * s.v[1];
        z = s.origin[2] + a * s.u[2] + b * s.v[2];
        ta = a * lenU;
        tb = b * lenV;
      } else if (s.kind === 'frustum') {
        const u = rng.next();
        const dr = s.r1 - s.r0;
        // Inverse CDF of a density proportional to the radius along the height.
        const t =
          Math.abs(dr) < 1e-9 ? u : (Math.sqrt(s.r0 * s.r0 + u * (s.r1 * s.r1 - s.r0 * s.r0)) - s.r0) / dr;
        const phi = 2 * Math.PI * rng.next();
        const r = s.r0 + dr * t;
        const c = Math.cos(phi);
        const sn = Math.sin(phi);
        x = s.center[0] + r * c;
        y = s.center[1] + r * sn;
        z = s.z0 + t * (s.z1 - s.z0);
        const h = s.z1 - s.z0;
        const sign = s.inward ? -1 : 1;
        nx = (sign * c * h) / slant;
        ny = (sign * sn * h) / slant;
        nz = (sign * -dr) / slant;
        ta = phi * 0.5 * (s.r0 + s.r1);
        tb = t * slant;
      } else {
        const r = Math.sqrt(s.r0 * s.r0 + rng.next() * (s.r1 * s.r1 - s.r0 * s.r0));
        const phi = 2 * Math.PI * rng.next();
        x = s.center[0] + r * Math.cos(phi);
        y = s.center[1] + r * Math.sin(phi);
        z = s.center[2];
        ta = x;
        tb = y;
      }
      let hidden = false;
      for (let k = 0; k < nc; k++) {
        if (insideSolid(table, cand[k], x, y, z, eps)) {
          hidden = true;
          break;
        }
      }
      if (hidden) continue;
      textureColor(mat, ta + uvA, tb + uvB, texSeed, rgb);
      const shade = exposure * (0.62 + 0.38 * Math.max(0, nx * lx + ny * ly + nz * lz));
      // Triangular noise (sum of two uniforms) with standard deviation colorNoise: cheaper than Gaussian.
      const common = colorNoise * 2.449 * (rng.next() + rng.next() - 1);
      const o3 = 3 * m;
      for (let ch = 0; ch < 3; ch++) {
        const v = rgb[ch] * shade + common + colorNoise * 1.2247 * (rng.next() + rng.next() - 1);
        colors[o3 + ch] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
      const inst = s.instance;
      if (inst >= 0) {
        const o6 = 6 * inst;
        if (x < bounds[o6]) bounds[o6] = x;
        if (y < bounds[o6 + 1]) bounds[o6 + 1] = y;
        if (z < bounds[o6 + 2]) bounds[o6 + 2] = z;
        if (x > bounds[o6 + 3]) bounds[o6 + 3] = x;
        if (y > bounds[o6 + 4]) bounds[o6 + 4] = y;
        if (z > bounds[o6 + 5]) bounds[o6 + 5] = z;
      }
      if (sigma > 0) {
        x += sigma * noiseRng.normal();
        y += sigma * noiseRng.normal();
        z += sigma * noiseRng.normal();
      }
      positions[o3] = x;
      positions[o3 + 1] = y;
      positions[o3 + 2] = z;
      normals[o3] = nx;
      normals[o3 + 1] = ny;
      normals[o3 + 2] = nz;
      labels[m] = s.label;
      instances[m] = s.instance;
      if (surfaceIdx) surfaceIdx[m] = i;
      m++;
    }
  }
  const cloud: PointCloud = {
    positions: positions.slice(0, 3 * m),
    colors: colors.slice(0, 3 * m),
    normals: normals.slice(0, 3 * m),
    labels: labels.slice(0, m),
    instances: instances.slice(0, m),
  };
  if (surfaceIdx) cloud.properties = { surface: surfaceIdx.slice(0, m) };
  return { cloud, instanceBounds: bounds };
}
