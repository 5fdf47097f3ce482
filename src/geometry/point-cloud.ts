/**
 * The one point-cloud shape used everywhere: flat typed arrays, never one object per point.
 */

/** Any typed array a per-point property can be stored in. */
export type TypedArray =
  Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** N points with optional attributes; `labels`/`instances` use -1 for ignore / none. */
export interface PointCloud {
  /** x y z interleaved, length 3N. */
  positions: Float32Array;
  /** r g b interleaved, 0..255, length 3N. */
  colors?: Uint8Array;
  /** nx ny nz interleaved, length 3N. */
  normals?: Float32Array;
  /** Semantic label per point (raw ids or train ids, as the producer documents); -1 = ignore. */
  labels?: Int32Array;
  /** Instance id per point; -1 = none. */
  instances?: Int32Array;
  /** Any other per-point scalar (intensity, confidence, pred, gt, …), length N each. */
  properties?: Record<string, TypedArray>;
}

/** Number of points in a cloud. */
export function pointCount(cloud: PointCloud): number {
  return cloud.positions.length / 3;
}
