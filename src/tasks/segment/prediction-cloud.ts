/**
 * The layout of a prediction PLY (DESIGN.md "Files"), shared by `predict` (Node) and the viewer's
 * "Download labels" (browser): the input's points and colours plus vertex properties `pred`
 * (short), `confidence` (float), and `gt` (short) / `instance` when known. Platform-free.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { writePly } from '../../data/formats/index.js';

/** Per-point labels to store beside the points. */
export interface PredictionColumns {
  pred: Int32Array;
  confidence: Float32Array;
  /** Ground-truth train ids (−1 = ignore), when known. */
  gt?: Int32Array;
  instances?: Int32Array;
}

/** The PointCloud written for one predicted scan. */
export function predictionCloud(input: PointCloud, c: PredictionColumns): PointCloud {
  const properties: Record<string, Int16Array | Float32Array | Int32Array> = {
    pred: Int16Array.from(c.pred),
    confidence: c.confidence,
  };
  if (c.gt) properties.gt = Int16Array.from(c.gt);
  if (c.instances) properties.instance = c.instances;
  return { positions: input.positions, colors: input.colors, properties };
}

/** The bytes of a prediction PLY (binary little-endian) for the scan called `name`. */
export function predictionPly(name: string, input: PointCloud, c: PredictionColumns): Uint8Array {
  return writePly(predictionCloud(input, c), { comments: [`pointcontrast predictions of ${name}`] });
}

const SCAN_EXTENSION = /\.(ply|pcd|xyz|txt)$/i;

/** A scan's file name without folders and without its point-cloud extension ("a/b/x.ply" → "x"). */
export function scanStem(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return base.replace(SCAN_EXTENSION, '') || base;
}
