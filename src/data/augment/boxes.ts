/**
 * Axis-aligned boxes under an augmentation: each box becomes the axis-aligned bound of its eight
 * transformed corners (exact for flips, scales and rotations by multiples of 90° about z), and a
 * box whose instance lost all its points to a crop or dropout is removed.
 */
import type { Affine } from '../../core/affine.js';

/** An axis-aligned object box (the shape prepared scenes and synthetic scenes use). */
export interface AugBox {
  label: number;
  instance: number;
  center: [number, number, number];
  size: [number, number, number];
}

/** Boxes after the affine; with `instances` (after subsetting), boxes with no remaining points go. */
export function transformBoxes(boxes: readonly AugBox[], affine: Affine, instances?: Int32Array): AugBox[] {
  let present: Set<number> | null = null;
  if (instances) {
    present = new Set<number>();
    for (let i = 0; i < instances.length; i++) present.add(instances[i]);
  }
  const out: AugBox[] = [];
  for (const b of boxes) {
    if (present && !present.has(b.instance)) continue;
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let c = 0; c < 8; c++) {
      const p = [0, 1, 2].map((d) => b.center[d] + ((c >> d) & 1 ? 0.5 : -0.5) * b.size[d]);
      for (let r = 0; r < 3; r++) {
        const v =
          affine[r * 4] * p[0] + affine[r * 4 + 1] * p[1] + affine[r * 4 + 2] * p[2] + affine[r * 4 + 3];
        if (v < lo[r]) lo[r] = v;
        if (v > hi[r]) hi[r] = v;
      }
    }
    out.push({
      label: b.label,
      instance: b.instance,
      center: [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2],
      size: [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]],
    });
  }
  return out;
}
