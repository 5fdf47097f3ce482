/**
 * `data inspect`: what a point-cloud file holds — format and encoding, header, point count,
 * properties with their declared types, bounds, non-finite points, and the histogram of a
 * label property — as a JSON-ready report and as text.
 */
import type { PointCloud } from '../geometry/point-cloud.js';
import {
  detectFormat,
  parsePcd,
  parsePly,
  parseXyz,
  pcdToPointCloud,
  plyElement,
  plyToPointCloud,
  type CloudFormat,
  type PcdData,
  type PlyData,
} from './formats/index.js';
import { LABEL_NAMES, INSTANCE_NAMES } from './formats/cloud-fields.js';
import { readFileBytes } from './io/read-cloud.js';

/** One per-point property as declared in the file. */
export interface InspectProperty {
  name: string;
  /** Declared type: PLY type name ('uchar', 'float32', 'list uchar int'), PCD TYPE+SIZE ('F4'), or 'text'. */
  type: string;
  /** PCD COUNT when > 1. */
  count?: number;
}

/** The report `data inspect --json` prints. */
export interface InspectReport {
  file: string;
  format: CloudFormat;
  /** ascii / binary_little_endian / binary_big_endian (PLY), ascii / binary / binary_compressed (PCD), text. */
  encoding: string;
  bytes: number;
  points: number;
  /** Per-point properties (PLY vertex properties, PCD fields, text columns). */
  properties: InspectProperty[];
  /** PLY: every element with its row count. */
  elements?: { name: string; count: number }[];
  /** Header text lines (PLY up to end_header, PCD up to DATA). */
  header: string[];
  comments: string[];
  /** PCD WIDTH × HEIGHT when HEIGHT > 1. */
  organized?: { width: number; height: number };
  /** Over finite points; null when there are none. */
  bounds: { min: [number, number, number]; max: [number, number, number] } | null;
  nonFinite: { count: number; firstIndex: number };
  /** Histogram of the label property, ids in ascending order. */
  labels?: { property: string; classes: number; histogram: Record<string, number> };
  /** Number of distinct instance ids. */
  instances?: { property: string; distinct: number };
}

function headerLines(bytes: Uint8Array, byteLength: number): string[] {
  const text = new TextDecoder().decode(bytes.subarray(0, byteLength));
  return text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l, i, a) => l !== '' || i < a.length - 1);
}

/** Bounds over the points whose x, y and z are all finite. */
export function finiteBounds(positions: Float32Array): InspectReport['bounds'] {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  let any = false;
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i];
    const y = positions[i + 1];
    const z = positions[i + 2];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) continue;
    any = true;
    if (x < min[0]) min[0] = x;
    if (y < min[1]) min[1] = y;
    if (z < min[2]) min[2] = z;
    if (x > max[0]) max[0] = x;
    if (y > max[1]) max[1] = y;
    if (z > max[2]) max[2] = z;
  }
  return any ? { min, max } : null;
}

/** Counts of each value, ascending by value. */
export function histogram(values: Int32Array): Record<string, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort((a, b) => a - b)) out[String(k)] = counts.get(k)!;
  return out;
}

function fromPly(
  ply: PlyData,
  bytes: Uint8Array,
): Omit<InspectReport, 'file' | 'bytes' | 'bounds' | 'labels' | 'instances'> {
  const v = plyElement(ply, 'vertex');
  return {
    format: 'ply',
    encoding: ply.header.format,
    points: ply.vertexCount,
    properties: (v?.properties ?? []).map((p) => ({
      name: p.name,
      type: p.kind === 'scalar' ? p.declared : `list ${p.declaredCount} ${p.declaredItem}`,
    })),
    elements: ply.elements.map((e) => ({ name: e.name, count: e.count })),
    header: headerLines(bytes, ply.header.byteLength),
    comments: ply.header.comments,
    nonFinite: { count: ply.nonFinite.count, firstIndex: ply.nonFinite.firstIndex },
  };
}

function fromPcd(
  pcd: PcdData,
  bytes: Uint8Array,
): Omit<InspectReport, 'file' | 'bytes' | 'bounds' | 'labels' | 'instances'> {
  const h = pcd.header;
  return {
    format: 'pcd',
    encoding: h.data,
    points: pcd.points,
    properties: h.fields.map((f) => ({
      name: f.name,
      type: `${f.type}${f.size}`,
      ...(f.count > 1 ? { count: f.count } : {}),
    })),
    header: headerLines(bytes, h.byteLength),
    comments: h.comments,
    ...(h.height > 1 ? { organized: { width: h.width, height: h.height } } : {}),
    nonFinite: { count: pcd.nonFinite.count, firstIndex: pcd.nonFinite.firstIndex },
  };
}

/** Inspects a file held in memory (nothing is dropped: NaN points are counted, not removed). */
export function inspectCloud(bytes: Uint8Array, fileName: string): InspectReport {
  const format = detectFormat(bytes, fileName);
  let base: Omit<InspectReport, 'file' | 'bytes' | 'bounds' | 'labels' | 'instances'>;
  let cloud: PointCloud;
  const opts = { file: fileName, nonFinite: 'keep' as const };
  if (format === 'ply') {
    const ply = parsePly(bytes, { ...opts, elements: 'vertex' });
    base = fromPly(ply, bytes);
    cloud = plyToPointCloud(ply);
  } else if (format === 'pcd') {
    const pcd = parsePcd(bytes, opts);
    base = fromPcd(pcd, bytes);
    cloud = pcdToPointCloud(pcd);
  } else {
    const xyz = parseXyz(bytes, opts);
    cloud = xyz.cloud;
    const names = xyz.layout.split(' ');
    base = {
      format,
      encoding: 'text',
      points: cloud.positions.length / 3,
      properties: names.map((name) => ({ name, type: 'text' })),
      header: [],
      comments: [],
      nonFinite: { count: xyz.nonFinite.count, firstIndex: xyz.nonFinite.firstIndex },
    };
  }
  const report: InspectReport = {
    file: fileName,
    bytes: bytes.length,
    ...base,
    bounds: finiteBounds(cloud.positions),
  };
  if (cloud.labels) {
    const property = base.properties.find((p) => LABEL_NAMES.includes(p.name))?.name ?? 'label';
    const h = histogram(cloud.labels);
    report.labels = { property, classes: Object.keys(h).length, histogram: h };
  }
  if (cloud.instances) {
    const property = base.properties.find((p) => INSTANCE_NAMES.includes(p.name))?.name ?? 'instance';
    report.instances = { property, distinct: new Set(cloud.instances).size };
  }
  return report;
}

/** Reads and inspects a file. */
export function inspectFile(path: string): InspectReport {
  return inspectCloud(readFileBytes(path), path);
}

const num = (v: number) => v.toLocaleString('en-US');

/** The report as aligned text lines (what `data inspect` prints without --json). */
export function formatInspectReport(r: InspectReport): string {
  const lines: string[] = [];
  const row = (k: string, v: string) => lines.push(`${k.padEnd(12)}${v}`);
  row('file', r.file);
  row('format', `${r.format} (${r.encoding}), ${num(r.bytes)} bytes`);
  row(
    'points',
    `${num(r.points)}${r.organized ? ` (organized ${r.organized.width} × ${r.organized.height})` : ''}`,
  );
  if (r.elements) row('elements', r.elements.map((e) => `${e.name} ${num(e.count)}`).join(', '));
  row('properties', r.properties.map((p) => `${p.name}:${p.type}${p.count ? `×${p.count}` : ''}`).join(' '));
  row(
    'non-finite',
    r.nonFinite.count ? `${num(r.nonFinite.count)} points (first: point ${r.nonFinite.firstIndex})` : 'none',
  );
  if (r.bounds) {
    const b = r.bounds;
    row(
      'bounds',
      ['x', 'y', 'z'].map((a, k) => `${a} ${+b.min[k].toFixed(4)}..${+b.max[k].toFixed(4)}`).join('  '),
    );
  } else row('bounds', 'no finite points');
  for (const c of r.comments) row('comment', c);
  if (r.instances) row('instances', `${num(r.instances.distinct)} distinct ids (${r.instances.property})`);
  if (r.labels) {
    row('labels', `${r.labels.classes} distinct ids in '${r.labels.property}' (id: points)`);
    for (const [id, n] of Object.entries(r.labels.histogram)) lines.push(`${id.padStart(14)}: ${num(n)}`);
  }
  if (r.header.length) {
    lines.push('header');
    for (const h of r.header) lines.push(`  ${h}`);
  }
  return `${lines.join('\n')}\n`;
}
