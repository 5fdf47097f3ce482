/**
 * Camera placement (z is up): fit the bounds in view from an oblique, top or front direction.
 */

/** A camera pose. */
export interface CameraPose {
  position: [number, number, number];
  target: [number, number, number];
}

/** View directions from the target towards the camera. */
const DIRECTIONS = {
  iso: [0.55, -0.75, 0.65],
  top: [0, -1e-4, 1], // not exactly +z: keeps the z-up orbit well defined
  front: [0, -1, 0],
} as const;

/** A named view. */
export type ViewName = keyof typeof DIRECTIONS;

/**
 * The pose that fits the bounding sphere of `bounds` for a vertical field of view `fovDeg` and
 * an `aspect` (width / height), looking from direction `view` (a name, or a vector from the
 * target towards the camera).
 */
export function fitPose(
  bounds: { min: readonly number[]; max: readonly number[] },
  fovDeg: number,
  aspect: number,
  view: ViewName | readonly [number, number, number] = 'iso',
): CameraPose {
  const c = [0, 1, 2].map((k) => (bounds.min[k] + bounds.max[k]) / 2) as [number, number, number];
  const radius = Math.max(1e-3, Math.hypot(...[0, 1, 2].map((k) => bounds.max[k] - bounds.min[k])) / 2);
  const vHalf = (fovDeg * Math.PI) / 360;
  const hHalf = Math.atan(Math.tan(vHalf) * aspect);
  const dist = radius / Math.sin(Math.min(vHalf, hHalf));
  const named = typeof view === 'string';
  let d: readonly number[] = named ? DIRECTIONS[view] : view;
  let n = Math.hypot(d[0], d[1], d[2]);
  if (!(n > 0)) {
    d = DIRECTIONS.iso;
    n = Math.hypot(d[0], d[1], d[2]);
  }
  return {
    position: [c[0] + (d[0] / n) * dist, c[1] + (d[1] / n) * dist, c[2] + (d[2] / n) * dist],
    target: c,
  };
}
