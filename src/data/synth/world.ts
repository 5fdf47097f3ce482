/**
 * The scene being built: placed surfaces, solids and collision hulls, instance bookkeeping, and
 * placement with collision checks (oriented boxes in plan × z-interval, 2 mm contact tolerance).
 */
import {
  transformBlock,
  transformSurface,
  composePose,
  type Block,
  type Pose,
  type SceneSolid,
  type Shape,
  type Support,
  type SynthSurface,
} from './shape.js';

/** One object instance of a scene. */
export interface SynthObject {
  instance: number;
  label: number;
  /** Model name, e.g. 'office-chair', 'books'. */
  kind: string;
}

/** Instance id of reserved, never-drawn volumes (door swing, window openings). */
export const RESERVED = -2;

const TOL = 0.002;

interface Hull extends Block {
  instance: number;
  minx: number;
  miny: number;
  maxx: number;
  maxy: number;
}

function hullOf(b: Block, instance: number): Hull {
  let hx = b.hx;
  let hy = b.hy;
  let angle = b.angle;
  if (b.kind === 'cylinder') {
    hx = hy = Math.max(b.r0, b.r1);
    angle = 0;
  }
  const c = Math.abs(Math.cos(angle));
  const s = Math.abs(Math.sin(angle));
  const ex = c * hx + s * hy;
  const ey = s * hx + c * hy;
  return {
    ...b,
    hx,
    hy,
    angle,
    instance,
    minx: b.cx - ex,
    maxx: b.cx + ex,
    miny: b.cy - ey,
    maxy: b.cy + ey,
  };
}

/** True when two blocks interpenetrate by more than `tol` (boxes exactly; cylinders as their bounding squares). */
export function blocksOverlap(a: Block, b: Block, tol = TOL): boolean {
  return hullsOverlap(hullOf(a, -1), hullOf(b, -1), tol);
}

function hullsOverlap(a: Hull, b: Hull, tol = TOL): boolean {
  if (a.z1 - tol <= b.z0 || b.z1 - tol <= a.z0) return false;
  if (a.maxx - tol <= b.minx || b.maxx - tol <= a.minx || a.maxy - tol <= b.miny || b.maxy - tol <= a.miny)
    return false;
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  const ca = Math.cos(a.angle);
  const sa = Math.sin(a.angle);
  const cb = Math.cos(b.angle);
  const sb = Math.sin(b.angle);
  const axes = [ca, sa, -sa, ca, cb, sb, -sb, cb];
  for (let k = 0; k < 8; k += 2) {
    const ax = axes[k];
    const ay = axes[k + 1];
    const ra = Math.abs(ca * ax + sa * ay) * a.hx + Math.abs(-sa * ax + ca * ay) * a.hy;
    const rb = Math.abs(cb * ax + sb * ay) * b.hx + Math.abs(-sb * ax + cb * ay) * b.hy;
    if (Math.abs(dx * ax + dy * ay) >= ra + rb - tol) return false;
  }
  return true;
}

/** Accumulates a scene's geometry and places objects without interpenetration. */
export class World {
  readonly surfaces: SynthSurface[] = [];
  readonly solids: SceneSolid[] = [];
  readonly objects: SynthObject[] = [];
  private readonly hulls: Hull[] = [];

  /** Room interior [0, width] × [0, depth] × [0, height]. */
  constructor(
    readonly width: number,
    readonly depth: number,
    readonly height: number,
  ) {}

  /** Registers a new object instance and returns its id. */
  newInstance(label: number, kind: string): number {
    const instance = this.objects.length;
    this.objects.push({ instance, label, kind });
    return instance;
  }

  /** True when `shape` at `pose` stays inside the room and clear of everything placed (except `ignore`). */
  fits(shape: Shape, pose: Pose, ignore: readonly number[] = []): boolean {
    for (const b of shape.hulls) {
      const h = hullOf(transformBlock(pose, b), -1);
      if (h.minx < -1e-6 || h.miny < -1e-6 || h.maxx > this.width + 1e-6 || h.maxy > this.depth + 1e-6)
        return false;
      if (h.z0 < -1e-6 || h.z1 > this.height + 1e-6) return false;
      for (const o of this.hulls) {
        if (ignore.includes(o.instance)) continue;
        if (hullsOverlap(h, o)) return false;
      }
    }
    return true;
  }

  /** Adds `shape` at `pose` unconditionally; surfaces get `label` (unless the shape set others) and `instance`. */
  add(shape: Shape, pose: Pose, instance: number): void {
    const offset = this.solids.length;
    for (const b of shape.solids) this.solids.push({ ...transformBlock(pose, b), instance });
    for (const b of shape.hulls) this.hulls.push(hullOf(transformBlock(pose, b), instance));
    for (const s of shape.surfaces) {
      const t = transformSurface(pose, s);
      t.instance = instance;
      if (t.solid >= 0) t.solid += offset;
      this.surfaces.push(t);
    }
  }

  /** Adds a volume that only blocks placement (instance RESERVED). */
  reserve(b: Block): void {
    this.hulls.push(hullOf(b, RESERVED));
  }

  /** Places a new `label`/`kind` object if it fits; returns its instance id or -1. */
  tryPlace(shape: Shape, pose: Pose, label: number, kind: string, ignore: readonly number[] = []): number {
    if (!this.fits(shape, pose, ignore)) return -1;
    const instance = this.newInstance(label, kind);
    this.add(shape, pose, instance);
    return instance;
  }

  /** The supports of `shape` placed at `pose`, in world coordinates. */
  supportsAt(shape: Shape, pose: Pose): Support[] {
    return shape.supports.map((s) => ({ ...s, pose: composePose(pose, s.pose) }));
  }
}
