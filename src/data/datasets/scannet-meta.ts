/**
 * ScanNet v2 side files, parsed from text: the label TSV (raw_category → nyu40id), segs.json,
 * aggregation.json and the axisAlignment of sceneXXXX_YY.txt. Pure functions (no file IO).
 */
import { applyAffine } from '../../core/affine.js';

/** One row of scannetv2-labels.combined.tsv that matters here. */
export interface ScanNetCategory {
  /** ScanNet200-style id (column `id`). */
  id: number;
  nyu40: number;
}

/** Parses scannetv2-labels.combined.tsv (CRLF tolerant) into raw_category → ids. */
export function parseScanNetTsv(text: string, file: string): Map<string, ScanNetCategory> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0].split('\t').map((s) => s.trim());
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new Error(`${file}: line 1: header has no '${name}' column (columns: ${header.join(', ')})`);
    return i;
  };
  const cRaw = col('raw_category');
  const cNyu = col('nyu40id');
  const cId = col('id');
  const map = new Map<string, ScanNetCategory>();
  for (let li = 1; li < lines.length; li++) {
    if (lines[li].trim() === '') continue;
    const f = lines[li].split('\t');
    const raw = f[cRaw];
    const nyu40 = Number(f[cNyu]);
    const id = Number(f[cId]);
    if (raw === undefined || !Number.isInteger(nyu40) || f[cNyu]?.trim() === '') {
      throw new Error(
        `${file}: line ${li + 1}: expected raw_category and an integer nyu40id, got '${lines[li].slice(0, 80)}'`,
      );
    }
    map.set(raw, { id: Number.isInteger(id) ? id : -1, nyu40 });
  }
  return map;
}

/** Parses a `_vh_clean_2.0.010000.segs.json`: one over-segment id per vertex. */
export function parseSegs(text: string, file: string): Int32Array {
  let json: { segIndices?: unknown };
  try {
    json = JSON.parse(text) as { segIndices?: unknown };
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const s = json?.segIndices;
  if (!Array.isArray(s)) throw new Error(`${file}: key 'segIndices': expected a list of segment ids`);
  const out = new Int32Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new Error(
        `${file}: key 'segIndices[${i}]': expected a non-negative integer, got ${JSON.stringify(v)}`,
      );
    }
    out[i] = v as number;
  }
  return out;
}

/** One object of an aggregation file. */
export interface SegGroup {
  id: number;
  objectId: number;
  segments: number[];
  /** Raw ScanNet category (look it up in the TSV). */
  label: string;
}

/** Parses a `.aggregation.json` into its segGroups. */
export function parseAggregation(text: string, file: string): SegGroup[] {
  let json: { segGroups?: unknown };
  try {
    json = JSON.parse(text) as { segGroups?: unknown };
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const groups = json?.segGroups;
  if (!Array.isArray(groups)) throw new Error(`${file}: key 'segGroups': expected a list`);
  return groups.map((g: Record<string, unknown>, i) => {
    const key = `segGroups[${i}]`;
    if (typeof g !== 'object' || g === null) throw new Error(`${file}: key '${key}': expected an object`);
    const objectId = g.objectId ?? g.id;
    if (!Number.isInteger(objectId) || (objectId as number) < 0) {
      throw new Error(
        `${file}: key '${key}.objectId': expected a non-negative integer, got ${JSON.stringify(objectId)}`,
      );
    }
    if (!Array.isArray(g.segments) || !g.segments.every((s) => Number.isInteger(s) && s >= 0)) {
      throw new Error(`${file}: key '${key}.segments': expected a list of segment ids`);
    }
    if (typeof g.label !== 'string')
      throw new Error(`${file}: key '${key}.label': expected a category string`);
    return {
      id: Number.isInteger(g.id) ? (g.id as number) : i,
      objectId: objectId as number,
      segments: g.segments,
      label: g.label,
    };
  });
}

/**
 * Instance id per vertex: objectId + 1 for vertices whose segment belongs to a segGroup, -1
 * elsewhere (a segment listed by several groups goes to the last one, as ScanNet's tools do).
 */
export function instancesFromSegments(segIndices: Int32Array, groups: readonly SegGroup[]): Int32Array {
  let maxSeg = 0;
  for (const g of groups) for (const s of g.segments) maxSeg = Math.max(maxSeg, s);
  const segToInst = new Int32Array(maxSeg + 1).fill(-1);
  for (const g of groups) for (const s of g.segments) segToInst[s] = g.objectId + 1;
  const out = new Int32Array(segIndices.length);
  for (let i = 0; i < out.length; i++) {
    const s = segIndices[i];
    out[i] = s <= maxSeg ? segToInst[s] : -1;
  }
  return out;
}

/** nyu40 id of each instance id (index = objectId + 1) through the TSV; errors name unknown categories. */
export function instanceNyu40(
  groups: readonly SegGroup[],
  tsv: Map<string, ScanNetCategory>,
  file: string,
): Int32Array {
  let max = 0;
  for (const g of groups) max = Math.max(max, g.objectId + 1);
  const out = new Int32Array(max + 1).fill(-1);
  groups.forEach((g, i) => {
    const cat = tsv.get(g.label);
    if (!cat) {
      throw new Error(
        `${file}: key 'segGroups[${i}].label': category '${g.label}' is not in the label TSV (raw_category column)`,
      );
    }
    out[g.objectId + 1] = cat.nyu40;
  });
  return out;
}

/**
 * Counts vertices whose instance's nyu40 class (from the aggregation) differs from the
 * per-vertex nyu40 label (from .labels.ply); returns the count and the first such vertex.
 */
export function instanceLabelMismatches(
  instances: Int32Array,
  instNyu40: Int32Array,
  vertexNyu40: ArrayLike<number>,
): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let i = 0; i < instances.length; i++) {
    const k = instances[i];
    if (k < 0) continue;
    if (instNyu40[k] !== vertexNyu40[i]) {
      if (count === 0) first = i;
      count++;
    }
  }
  return { count, first };
}

/** Parses `axisAlignment = m00 … m33` (row-major 4×4) from sceneXXXX_YY.txt; undefined if absent. */
export function parseAxisAlignment(text: string, file: string): Float64Array | undefined {
  const lines = text.split(/\r?\n/);
  for (let li = 0; li < lines.length; li++) {
    const m = /^\s*axisAlignment\s*=\s*(.*)$/.exec(lines[li]);
    if (!m) continue;
    const v = m[1].trim().split(/\s+/).map(Number);
    if (v.length !== 16 || !v.every(Number.isFinite)) {
      throw new Error(
        `${file}: line ${li + 1}: axisAlignment: expected 16 numbers (row-major 4x4), got '${m[1].trim().slice(0, 80)}'`,
      );
    }
    return Float64Array.from(v);
  }
  return undefined;
}

/** Applies a row-major 4×4 rigid transform in place to positions (and rotates normals). */
export function applyTransform(m: Float64Array, positions: Float32Array, normals?: Float32Array): void {
  applyAffine(m, positions, positions);
  if (!normals) return;
  for (let i = 0; i < normals.length; i += 3) {
    const x = normals[i];
    const y = normals[i + 1];
    const z = normals[i + 2];
    normals[i] = m[0] * x + m[1] * y + m[2] * z;
    normals[i + 1] = m[4] * x + m[5] * y + m[6] * z;
    normals[i + 2] = m[8] * x + m[9] * y + m[10] * z;
  }
}

/** NYU40 class names by id (0 = unannotated), the raw label space of ScanNet's `.labels.ply`. */
export const NYU40_NAMES: readonly string[] = [
  'unannotated',
  'wall',
  'floor',
  'cabinet',
  'bed',
  'chair',
  'sofa',
  'table',
  'door',
  'window',
  'bookshelf',
  'picture',
  'counter',
  'blinds',
  'desk',
  'shelves',
  'curtain',
  'dresser',
  'pillow',
  'mirror',
  'floor mat',
  'clothes',
  'ceiling',
  'books',
  'refrigerator',
  'television',
  'paper',
  'towel',
  'shower curtain',
  'box',
  'whiteboard',
  'person',
  'night stand',
  'toilet',
  'sink',
  'lamp',
  'bathtub',
  'bag',
  'otherstructure',
  'otherfurniture',
  'otherprop',
];
