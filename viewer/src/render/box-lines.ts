/**
 * Axis-aligned boxes as line-segment vertices (12 edges = 24 vertices per box), coloured per box,
 * for one THREE.LineSegments draw call.
 */
import type { Rgb } from '../colors/colors.js';

/** A box to draw. */
export interface BoxLike {
  center: readonly number[];
  size: readonly number[];
}

// Corner k has x = bit 0, y = bit 1, z = bit 2 (0 = min side, 1 = max side).
const EDGES = [0, 1, 2, 3, 4, 5, 6, 7, 0, 2, 1, 3, 4, 6, 5, 7, 0, 4, 1, 5, 2, 6, 3, 7];

/** Segment endpoints (Float32 xyz) and colours (Uint8 rgb) for `boxes`. */
export function boxSegments(
  boxes: readonly BoxLike[],
  colorOf: (i: number) => Rgb,
): { positions: Float32Array; colors: Uint8Array } {
  const positions = new Float32Array(boxes.length * 24 * 3);
  const colors = new Uint8Array(boxes.length * 24 * 3);
  boxes.forEach((b, i) => {
    const col = colorOf(i);
    EDGES.forEach((corner, e) => {
      const o = (i * 24 + e) * 3;
      for (let k = 0; k < 3; k++) {
        const side = (corner >> k) & 1 ? 0.5 : -0.5;
        positions[o + k] = b.center[k] + side * b.size[k];
        colors[o + k] = col[k];
      }
    });
  });
  return { positions, colors };
}
