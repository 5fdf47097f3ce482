/**
 * Viewport layout of the canvas: the whole of it, or two halves side by side (ground truth on the
 * left, prediction on the right) sharing one camera; and which viewport a CSS-pixel position is in.
 */

/** A viewport in CSS pixels (top-left origin) and what it shows. */
export interface Viewport {
  x: number;
  y: number;
  w: number;
  h: number;
  side: 'single' | 'gt' | 'pred';
}

/** The viewports of a `w` × `h` canvas: one, or the split pair. */
export function layoutViewports(w: number, h: number, split: boolean): Viewport[] {
  if (!split) return [{ x: 0, y: 0, w, h, side: 'single' }];
  const half = Math.floor(w / 2);
  return [
    { x: 0, y: 0, w: half, h, side: 'gt' },
    { x: half, y: 0, w: w - half, h, side: 'pred' },
  ];
}

/** The viewport containing CSS-pixel position (x, y), if any. */
export function viewportAt(viewports: readonly Viewport[], x: number, y: number): Viewport | undefined {
  return viewports.find((v) => x >= v.x && x < v.x + v.w && y >= v.y && y < v.y + v.h);
}
