/**
 * GPU picking helpers: a camera that renders only a small window around the cursor, and the
 * decoding of that window (point index + 1 as RGBA8, 0 = nothing) into the point nearest the cursor.
 */
import type * as THREE from 'three';

/** Pick window size in device pixels (odd: the cursor is the centre pixel). */
export const PICK_WINDOW = 15;

/** The index of the non-empty pixel nearest the window's centre, or null when all are empty. */
export function nearestPickedIndex(rgba: Uint8Array, size = PICK_WINDOW): number | null {
  const half = (size - 1) / 2;
  let best = -1;
  let bestD = Infinity;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const o = (j * size + i) * 4;
      const id = (rgba[o] | (rgba[o + 1] << 8) | (rgba[o + 2] << 16) | (rgba[o + 3] << 24)) >>> 0;
      if (id === 0) continue;
      const d = (i - half) ** 2 + (j - half) ** 2;
      if (d < bestD) {
        bestD = d;
        best = id - 1;
      }
    }
  }
  return best < 0 ? null : best;
}

/**
 * A copy of `camera` that draws only the `size`×`size` device-pixel window centred on (x, y) of a
 * viewport of w×h device pixels (top-left origin), with the same clip planes.
 */
export function pickCamera(
  camera: THREE.PerspectiveCamera,
  w: number,
  h: number,
  x: number,
  y: number,
  size = PICK_WINDOW,
): THREE.PerspectiveCamera {
  const cam = camera.clone();
  const half = (size - 1) / 2;
  cam.aspect = w / h;
  cam.setViewOffset(w, h, x - half, y - half, size, size);
  cam.updateProjectionMatrix();
  return cam;
}
