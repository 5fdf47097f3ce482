/**
 * Cross-domain room mixing for segmentation fine-tuning (Mix3D's union of two scenes, used
 * across domains as DODA does): a labelled room of another dataset (synthetic rooms with labels
 * mapped to the same classes) is placed over the training room, floor on floor and centred on it
 * (`overlay`), or beside it with a gap (`beside`: joint training on both domains in one sample,
 * neither room's objects hidden in the other's voxels), and the two clouds become one sample. The
 * network then sees labelled chairs, tables and beds next to a real room whose labels lack them.
 */
import { pointCount, type PointCloud } from '../../geometry/point-cloud.js';
import { bounds } from './state.js';

/** Where the other room goes: over the training room, or beside it along x. Defined once here. */
export const MIX_PLACEMENTS = ['overlay', 'beside'] as const;
export type MixPlacement = (typeof MIX_PLACEMENTS)[number];

/**
 * Gap (m) between the two rooms of a `beside` mix: wider than the 3×3×3 kernels reach at the
 * first levels of the U-Net at 5 cm voxels, so the rooms meet only in the coarsest layers.
 */
export const BESIDE_GAP = 1;

function concat<T extends Float32Array | Uint8Array | Int32Array>(a: T, b: T, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The union of `room` and `other`, `other` shifted so that its lowest point sits at `room`'s
 * lowest point and, for `overlay`, the centres of the two rooms' x–y bounds coincide; for
 * `beside`, the y centres coincide and `other` starts BESIDE_GAP beyond `room`'s largest x.
 * Colours, normals and labels are kept when both clouds have them (labels must share one label
 * map: the caller checks); instances and other properties are dropped (a mixed sample is for
 * segmentation).
 */
export function mixRooms(
  room: PointCloud,
  other: PointCloud,
  placement: MixPlacement = 'overlay',
): PointCloud {
  if (pointCount(other) === 0) return room;
  if (pointCount(room) === 0) return other;
  const [aLo, aHi] = bounds(room.positions);
  const [bLo, bHi] = bounds(other.positions);
  const shift = [
    placement === 'beside' ? aHi[0] + BESIDE_GAP - bLo[0] : (aLo[0] + aHi[0]) / 2 - (bLo[0] + bHi[0]) / 2,
    (aLo[1] + aHi[1]) / 2 - (bLo[1] + bHi[1]) / 2,
    aLo[2] - bLo[2],
  ];
  const moved = new Float32Array(other.positions.length);
  for (let i = 0; i < moved.length; i += 3) {
    moved[i] = other.positions[i] + shift[0];
    moved[i + 1] = other.positions[i + 1] + shift[1];
    moved[i + 2] = other.positions[i + 2] + shift[2];
  }
  const out: PointCloud = {
    positions: concat(room.positions, moved, (n) => new Float32Array(n)),
  };
  if (room.colors && other.colors) out.colors = concat(room.colors, other.colors, (n) => new Uint8Array(n));
  if (room.normals && other.normals)
    out.normals = concat(room.normals, other.normals, (n) => new Float32Array(n));
  if (room.labels && other.labels) out.labels = concat(room.labels, other.labels, (n) => new Int32Array(n));
  return out;
}
