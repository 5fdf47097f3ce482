/**
 * Axis-aligned 3D boxes for detection: the box shapes shared by ground truth, predictions and the
 * viewer (`{ label, score, center, size }`), axis-aligned IoU (VoteNet's `calc_iou`), and greedy
 * per-class 3D non-maximum suppression. Platform-free.
 */

/** x, y, z. */
export type Vec3 = [number, number, number];

/** A ground-truth box: class (a train id of the dataset's label map), centre and full size (metres). */
export interface GtBox {
  label: number;
  center: Vec3;
  size: Vec3;
}

/** A predicted box, in the viewer's prediction format. */
export interface DetBox extends GtBox {
  score: number;
}

/** Volume of the overlap of two axis-aligned boxes (0 when disjoint or only touching). */
export function intersectionVolume(a: GtBox, b: GtBox): number {
  let v = 1;
  for (let d = 0; d < 3; d++) {
    const lo = Math.max(a.center[d] - a.size[d] / 2, b.center[d] - b.size[d] / 2);
    const hi = Math.min(a.center[d] + a.size[d] / 2, b.center[d] + b.size[d] / 2);
    if (!(hi > lo)) return 0;
    v *= hi - lo;
  }
  return v;
}

/** Intersection over union of two axis-aligned boxes (0 for degenerate boxes). */
export function boxIoU(a: GtBox, b: GtBox): number {
  const inter = intersectionVolume(a, b);
  if (inter === 0) return 0;
  const va = a.size[0] * a.size[1] * a.size[2];
  const vb = b.size[0] * b.size[1] * b.size[2];
  const union = va + vb - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Indices of `scores` sorted by decreasing score; ties keep their input order (a stable sort,
 * so results never depend on the engine's sort).
 */
export function orderByScore(scores: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((i, j) => scores[j] - scores[i] || i - j);
}

/**
 * Greedy NMS within each class: boxes in decreasing score; a box is dropped when its IoU with a
 * kept box of the same class exceeds `iouThreshold` (VoteNet: 0.25). Returns kept indices in
 * decreasing score order.
 */
export function nmsPerClass(boxes: readonly DetBox[], iouThreshold: number): number[] {
  const order = orderByScore(boxes.map((b) => b.score));
  const keptByClass = new Map<number, number[]>();
  const kept: number[] = [];
  for (const i of order) {
    const b = boxes[i];
    let list = keptByClass.get(b.label);
    if (!list) keptByClass.set(b.label, (list = []));
    if (list.some((k) => boxIoU(boxes[k], b) > iouThreshold)) continue;
    list.push(i);
    kept.push(i);
  }
  return kept;
}

/**
 * The axis-aligned bound of a box under a 3×4 row-major affine (its eight corners mapped):
 * exact for translations, scales, flips and rotations by multiples of 90° about an axis.
 */
export function transformBox<B extends GtBox>(box: B, affine: ArrayLike<number>): B {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const p0 = box.center[0] + (c & 1 ? 0.5 : -0.5) * box.size[0];
    const p1 = box.center[1] + (c & 2 ? 0.5 : -0.5) * box.size[1];
    const p2 = box.center[2] + (c & 4 ? 0.5 : -0.5) * box.size[2];
    for (let r = 0; r < 3; r++) {
      const v = affine[r * 4] * p0 + affine[r * 4 + 1] * p1 + affine[r * 4 + 2] * p2 + affine[r * 4 + 3];
      if (v < lo[r]) lo[r] = v;
      if (v > hi[r]) hi[r] = v;
    }
  }
  return {
    ...box,
    center: [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2],
    size: [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]],
  };
}
