/**
 * Parametric surfaces and solids: the scene description the sampler (and any renderer) works
 * from. Furniture is built once in its own frame as a Shape, then placed with a pose (z-rotation).
 */

/** A 3-vector. */
export type Vec3 = [number, number, number];

/** Position of an object's frame origin (on its footprint centre, at its base) and rotation about +z. */
export interface Pose {
  x: number;
  y: number;
  z: number;
  theta: number;
}

/** Surface appearance: base colour 0..255, procedural texture, optional sampling-density factor. */
export interface Material {
  color: Vec3;
  /** One of TEXTURE in materials.ts. */
  texture: number;
  /** Second colour (plank/tile/grout/painting). */
  color2?: Vec3;
  /** Texture period in metres. */
  scale?: number;
  /** Points per m² relative to the scene density (glass < 1). */
  density?: number;
  /** Offset added to the surface's texture coordinates (keeps tiles aligned across wall pieces). */
  uv?: [number, number];
  /** Texture seed (planks/tiles); defaults to the surface index. */
  seed?: number;
}

interface SurfaceBase {
  /** Train id (datasets/synthetic.json). */
  label: number;
  /** Instance id, -1 for stuff (wall, floor, ceiling). */
  instance: number;
  /** Index of the solid this surface bounds (its own solid never hides it), -1 for none. */
  solid: number;
  material: Material;
}

/** Parallelogram origin + s·u + t·v (s, t in [0, 1]); the visible side faces normalize(u × v). */
export interface QuadSurface extends SurfaceBase {
  kind: 'quad';
  origin: Vec3;
  u: Vec3;
  v: Vec3;
}

/** Lateral surface of a vertical cone frustum: radius r0 at z0 to r1 at z1; faces out unless `inward`. */
export interface FrustumSurface extends SurfaceBase {
  kind: 'frustum';
  center: [number, number];
  z0: number;
  z1: number;
  r0: number;
  r1: number;
  inward: boolean;
}

/** Horizontal annulus (r0 = inner radius, 0 for a disk) at height `center[2]`, facing +z if `up`. */
export interface DiskSurface extends SurfaceBase {
  kind: 'disk';
  center: Vec3;
  r0: number;
  r1: number;
  up: boolean;
}

/** One parametric surface of a synthetic scene. */
export type SynthSurface = QuadSurface | FrustumSurface | DiskSurface;

/**
 * A vertical solid: an oriented box (centre cx,cy, half sizes hx,hy, rotation `angle`) or a cone
 * frustum (radius r0 at z0, r1 at z1), spanning z0..z1. Solids hide surface points inside them
 * (contact faces, backs against walls) and are the collision hulls of furniture placement.
 */
export interface Block {
  kind: 'box' | 'cylinder';
  cx: number;
  cy: number;
  z0: number;
  z1: number;
  hx: number;
  hy: number;
  angle: number;
  r0: number;
  r1: number;
}

/** A solid of a placed scene, with the instance it belongs to (-1 for the room's slabs). */
export interface SceneSolid extends Block {
  instance: number;
}

/** A flat rectangle (in its own pose frame, half sizes hx,hy) small objects can stand on. */
export interface Support {
  pose: Pose;
  hx: number;
  hy: number;
}

/** Box face bits for `ShapeBuilder.box({ omit })`. */
export const FACE = { nx: 1, px: 2, ny: 4, py: 8, nz: 16, pz: 32 } as const;

/** Geometry of one object in its own frame. */
export interface Shape {
  surfaces: SynthSurface[];
  solids: Block[];
  /** Collision hulls: every solid plus non-occluding volumes (lamp shades, clearances). */
  hulls: Block[];
  supports: Support[];
}

/** Applies `pose` to a local point. */
export function transformPoint(p: Pose, x: number, y: number, z: number): Vec3 {
  const c = Math.cos(p.theta);
  const s = Math.sin(p.theta);
  return [p.x + c * x - s * y, p.y + s * x + c * y, p.z + z];
}

/** The pose `local` expressed in the frame of `parent`. */
export function composePose(parent: Pose, local: Pose): Pose {
  const [x, y, z] = transformPoint(parent, local.x, local.y, local.z);
  return { x, y, z, theta: parent.theta + local.theta };
}

function rotate(p: Pose, v: Vec3): Vec3 {
  const c = Math.cos(p.theta);
  const s = Math.sin(p.theta);
  return [c * v[0] - s * v[1], s * v[0] + c * v[1], v[2]];
}

/** Applies `pose` to a block. */
export function transformBlock(p: Pose, b: Block): Block {
  const [cx, cy, z] = transformPoint(p, b.cx, b.cy, 0);
  return { ...b, cx, cy, z0: b.z0 + z, z1: b.z1 + z, angle: b.angle + p.theta };
}

/** Applies `pose` to a surface. */
export function transformSurface(p: Pose, s: SynthSurface): SynthSurface {
  if (s.kind === 'quad') {
    return { ...s, origin: transformPoint(p, ...s.origin), u: rotate(p, s.u), v: rotate(p, s.v) };
  }
  if (s.kind === 'frustum') {
    const [x, y, z] = transformPoint(p, s.center[0], s.center[1], 0);
    return { ...s, center: [x, y], z0: s.z0 + z, z1: s.z1 + z };
  }
  return { ...s, center: transformPoint(p, ...s.center) };
}

/** A vertical frustum: footprint centre (cx, cy), radius r0 at z0 and r1 at z1. */
export type Frustum = Pick<Block, 'cx' | 'cy' | 'z0' | 'z1' | 'r0' | 'r1'>;

/** Options of a box part. */
export interface BoxOptions {
  /** Rotation about the box's own vertical axis (radians). */
  rz?: number;
  /** FACE bits of faces not to emit. */
  omit?: number;
  /** False for a box that hides nothing (still a collision hull). */
  solid?: boolean;
  /** False for a box that does not block furniture placement (skirting boards). */
  hull?: boolean;
}

/** Builds a Shape from parts in the object's frame (x right, y back, z up; origin on the floor). */
export class ShapeBuilder {
  readonly shape: Shape = { surfaces: [], solids: [], hulls: [], supports: [] };

  /** `label` is given to every surface unless a part overrides it. */
  constructor(public label: number) {}

  private addBlock(b: Block, solid: boolean, hull = true): number {
    if (hull) this.shape.hulls.push(b);
    if (!solid) return -1;
    this.shape.solids.push(b);
    return this.shape.solids.length - 1;
  }

  private push(
    s:
      | Omit<QuadSurface, 'label' | 'instance'>
      | Omit<FrustumSurface, 'label' | 'instance'>
      | Omit<DiskSurface, 'label' | 'instance'>,
  ): void {
    this.shape.surfaces.push({ ...s, label: this.label, instance: -1 } as SynthSurface);
  }

  /** A box with footprint centre (cx, cy), base z0 and size w × d × h; returns its solid id. */
  box(
    cx: number,
    cy: number,
    z0: number,
    w: number,
    d: number,
    h: number,
    m: Material,
    o: BoxOptions = {},
  ): number {
    const rz = o.rz ?? 0;
    const solid = this.addBlock(
      { kind: 'box', cx, cy, z0, z1: z0 + h, hx: w / 2, hy: d / 2, angle: rz, r0: 0, r1: 0 },
      o.solid !== false,
      o.hull !== false,
    );
    const omit = o.omit ?? 0;
    const c = Math.cos(rz);
    const s = Math.sin(rz);
    const a = w / 2;
    const b = d / 2;
    const R = (x: number, y: number, z: number): Vec3 => [cx + c * x - s * y, cy + s * x + c * y, z0 + z];
    const V = (x: number, y: number, z: number): Vec3 => [c * x - s * y, s * x + c * y, z];
    const face = (bit: number, origin: Vec3, u: Vec3, v: Vec3) => {
      if (!(omit & bit)) this.push({ kind: 'quad', origin, u, v, material: m, solid });
    };
    face(FACE.px, R(a, -b, 0), V(0, d, 0), V(0, 0, h));
    face(FACE.nx, R(-a, b, 0), V(0, -d, 0), V(0, 0, h));
    face(FACE.py, R(a, b, 0), V(-w, 0, 0), V(0, 0, h));
    face(FACE.ny, R(-a, -b, 0), V(w, 0, 0), V(0, 0, h));
    face(FACE.pz, R(-a, -b, h), V(w, 0, 0), V(0, d, 0));
    face(FACE.nz, R(-a, -b, 0), V(0, d, 0), V(w, 0, 0));
    return solid;
  }

  /** A closed vertical frustum (radius r0 at z0, r1 at z1) with caps; returns its solid id. */
  cyl(
    cx: number,
    cy: number,
    z0: number,
    z1: number,
    r0: number,
    r1: number,
    m: Material,
    solid = true,
  ): number {
    const id = this.addBlock({ kind: 'cylinder', cx, cy, z0, z1, hx: 0, hy: 0, angle: 0, r0, r1 }, solid);
    this.push({ kind: 'frustum', center: [cx, cy], z0, z1, r0, r1, inward: false, material: m, solid: id });
    this.push({ kind: 'disk', center: [cx, cy, z1], r0: 0, r1, up: true, material: m, solid: id });
    this.push({ kind: 'disk', center: [cx, cy, z0], r0: 0, r1: r0, up: false, material: m, solid: id });
    return id;
  }

  /**
   * An open-top vessel (bin, cup, bowl, pot, lamp shade): outer wall, inner wall of thickness t,
   * rim; inner bottom at z0 + t unless `bottom` is false (then open at both ends and hides nothing).
   */
  vessel(f: Frustum, t: number, m: Material, bottom = true, inner: Material = m): number {
    const { cx, cy, z0, z1, r0, r1 } = f;
    const id = this.addBlock({ kind: 'cylinder', cx, cy, z0, z1, hx: 0, hy: 0, angle: 0, r0, r1 }, bottom);
    const zi = bottom ? z0 + t : z0;
    const ri0 = Math.max(r0 + ((r1 - r0) * (zi - z0)) / (z1 - z0) - t, 0.002);
    this.push({ kind: 'frustum', center: [cx, cy], z0, z1, r0, r1, inward: false, material: m, solid: id });
    this.push({
      kind: 'frustum',
      center: [cx, cy],
      z0: zi,
      z1,
      r0: ri0,
      r1: Math.max(r1 - t, 0.002),
      inward: true,
      material: inner,
      solid: id,
    });
    this.push({
      kind: 'disk',
      center: [cx, cy, z1],
      r0: Math.max(r1 - t, 0.002),
      r1,
      up: true,
      material: m,
      solid: id,
    });
    if (bottom) {
      this.push({ kind: 'disk', center: [cx, cy, zi], r0: 0, r1: ri0, up: true, material: inner, solid: id });
      this.push({ kind: 'disk', center: [cx, cy, z0], r0: 0, r1: r0, up: false, material: m, solid: id });
    }
    return id;
  }

  /** A one-sided parallelogram (curtain fold, glass pane) attached to solid `solid` (-1: none). */
  quad(origin: Vec3, u: Vec3, v: Vec3, m: Material, solid = -1): void {
    this.push({ kind: 'quad', origin, u, v, material: m, solid });
  }

  /** A one-sided horizontal disk or annulus. */
  disk(
    cx: number,
    cy: number,
    z: number,
    r0: number,
    r1: number,
    up: boolean,
    m: Material,
    solid = -1,
  ): void {
    this.push({ kind: 'disk', center: [cx, cy, z], r0, r1, up, material: m, solid });
  }

  /** A solid that hides what is inside it but has no surface of its own (behind a curtain). */
  occluder(b: Block): number {
    return this.addBlock(b, true);
  }

  /** A collision volume that is neither drawn nor hides anything (lamp shade interior, door swing). */
  hull(b: Block): void {
    this.shape.hulls.push(b);
  }

  /** Registers the rectangle x0..x1 × y0..y1 at height z as a place for small objects. */
  support(x0: number, y0: number, x1: number, y1: number, z: number): void {
    if (x1 - x0 < 0.05 || y1 - y0 < 0.05) return;
    this.shape.supports.push({
      pose: { x: (x0 + x1) / 2, y: (y0 + y1) / 2, z, theta: 0 },
      hx: (x1 - x0) / 2,
      hy: (y1 - y0) / 2,
    });
  }
}

/** An axis-aligned box block (helper for room-level volumes). */
export function aabbBlock(x0: number, y0: number, z0: number, x1: number, y1: number, z1: number): Block {
  return {
    kind: 'box',
    cx: (x0 + x1) / 2,
    cy: (y0 + y1) / 2,
    z0,
    z1,
    hx: (x1 - x0) / 2,
    hy: (y1 - y0) / 2,
    angle: 0,
    r0: 0,
    r1: 0,
  };
}
