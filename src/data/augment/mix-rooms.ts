/**
 * Cross-domain room mixing for segmentation fine-tuning (Mix3D's union of two scenes, used
 * across domains as DODA does): a labelled room of another dataset (synthetic rooms with labels
 * mapped to the same classes) is placed over the training room, floor on floor and centred on it,
 * and the two clouds become one sample. The network then sees labelled chairs, tables and beds in
 * the context of a real room whose labels lack them.
 */
import { pointCount, type PointCloud } from '../../geometry/point-cloud.js';
import { bounds } from './state.js';

function concat<T extends Float32Array | Uint8Array | Int32Array>(a: T, b: T, make: (n: number) => T): T {
  const out = make(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The union of `room` and `other`, `other` shifted so that the centres of the two rooms' x–y
 * bounds coincide and its lowest point sits at `room`'s lowest point. Colours, normals and labels
 * are kept when both clouds have them (labels must share one label map: the caller checks);
 * instances and other properties are dropped (a mixed sample is for segmentation).
 */
export function mixRooms(room: PointCloud, other: PointCloud): PointCloud {
  if (pointCount(other) === 0) return room;
  if (pointCount(room) === 0) return other;
  const [aLo, aHi] = bounds(room.positions);
  const [bLo, bHi] = bounds(other.positions);
  const shift = [
    (aLo[0] + aHi[0]) / 2 - (bLo[0] + bHi[0]) / 2,
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
