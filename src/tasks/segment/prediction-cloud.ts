/**
 * The layout of a prediction PLY (DESIGN.md "Files"), shared by `predict` (Node) and the viewer's
 * "Download labels" (browser): the input's points and colours plus vertex properties `pred`
 * (short), `confidence` (float), and `gt` (short) / `instance` when known. Platform-free.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { writePly } from '../../data/formats/index.js';
import { parsePly } from '../../data/formats/ply-parse.js';

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

/** A prediction PLY read back: its points and per-point labels. */
export interface PredictionFile {
  /** 3N floats. */
  positions: Float32Array;
  pred: Int32Array;
  confidence?: Float32Array;
  gt?: Int32Array;
}

/** Reads the bytes of a prediction PLY; throws naming `file` and the missing property. */
export function readPredictionPly(bytes: Uint8Array, file: string): PredictionFile {
  const vertex = parsePly(bytes, { file }).elements.find((e) => e.name === 'vertex');
  const cols = vertex?.columns ?? {};
  for (const k of ['x', 'y', 'z', 'pred'])
    if (!cols[k]) throw new Error(`${file}: not a prediction PLY (no vertex property '${k}')`);
  const n = cols.x.length;
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    positions[3 * i] = cols.x[i];
    positions[3 * i + 1] = cols.y[i];
    positions[3 * i + 2] = cols.z[i];
  }
  return {
    positions,
    pred: Int32Array.from(cols.pred),
    confidence: cols.confidence ? Float32Array.from(cols.confidence) : undefined,
    gt: cols.gt ? Int32Array.from(cols.gt) : undefined,
  };
}
