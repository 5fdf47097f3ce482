/**
 * Point-cloud file formats (platform-free): PLY, PCD and plain-text rows, parsed from an
 * ArrayBuffer into typed arrays. `parsePointCloud` picks the format from the extension or the
 * file's first bytes; the per-format parsers keep the raw, typed data for tools like inspect.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import { FormatError } from './errors.js';
import type { NonFinitePolicy } from './non-finite.js';
import { plyToPointCloud } from './ply-cloud.js';
import { parsePly } from './ply-parse.js';
import { pcdToPointCloud } from './pcd-cloud.js';
import { parsePcd } from './pcd-parse.js';
import { parseXyz } from './xyz.js';

export { FormatError, NO_FILE, type FormatLocation } from './errors.js';
export type { NonFinitePolicy, NonFiniteReport } from './non-finite.js';
export type { ScalarType } from './scalar.js';
export { PLY_TYPES, PLY_NAME, parsePlyHeader } from './ply-header.js';
export type {
  PlyType,
  PlyFormat,
  PlyHeader,
  PlyElement,
  PlyElementHeader,
  PlyProperty,
  PlyScalarProperty,
  PlyListProperty,
  PlyList,
} from './ply-header.js';
export { parsePly, plyElement, type PlyData, type ParsePlyOptions } from './ply-parse.js';
export { plyToPointCloud } from './ply-cloud.js';
export {
  writePly,
  encodePly,
  type WritePlyOptions,
  type EncodePlyOptions,
  type PlyElementData,
} from './ply-write.js';
export {
  parsePcdHeader,
  pcdPointBytes,
  type PcdHeader,
  type PcdField,
  type PcdDataKind,
} from './pcd-header.js';
export { parsePcd, pcdField, type PcdData, type ParsePcdOptions } from './pcd-parse.js';
export { pcdToPointCloud, unpackRgb } from './pcd-cloud.js';
export { writePcd, type WritePcdOptions } from './pcd-write.js';
export { parseXyz, XYZ_LAYOUTS, type XyzData, type ParseXyzOptions } from './xyz.js';
export { lzfCompress, lzfDecompress } from './lzf.js';

/** The formats parsePointCloud understands. */
export type CloudFormat = 'ply' | 'pcd' | 'xyz';

/** Options of parsePointCloud. */
export interface ParseCloudOptions {
  /** NaN/Inf coordinates; default: 'error' for PLY and text, 'drop' for PCD (invalid pixels). */
  nonFinite?: NonFinitePolicy;
  /** Force a format instead of detecting it. */
  format?: CloudFormat;
}

const TEXT_EXTENSIONS = ['txt', 'xyz', 'pts', 'csv'];

function startsWith(bytes: Uint8Array, s: string): boolean {
  if (bytes.length < s.length) return false;
  for (let i = 0; i < s.length; i++) if (bytes[i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Picks the format from the file's extension, else from its first bytes. */
export function detectFormat(bytes: Uint8Array, fileName: string): CloudFormat {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (ext === 'ply') return 'ply';
  if (ext === 'pcd') return 'pcd';
  if (TEXT_EXTENSIONS.includes(ext)) return 'xyz';
  if (startsWith(bytes, 'ply\n') || startsWith(bytes, 'ply\r\n')) return 'ply';
  if (startsWith(bytes, '# .PCD') || startsWith(bytes, 'VERSION') || startsWith(bytes, 'FIELDS'))
    return 'pcd';
  const b = bytes[0];
  if (b === undefined || b === 45 || b === 43 || b === 46 || (b >= 48 && b <= 57)) return 'xyz';
  throw new FormatError(
    fileName,
    `unknown point-cloud format: extension '.${ext}' and first bytes match none of PLY, PCD, or text x y z rows`,
    { offset: 0 },
  );
}

/** Parses a .ply, .pcd or text (.txt/.xyz) file held in memory into the shared PointCloud. */
export function parsePointCloud(
  buffer: ArrayBuffer | Uint8Array,
  fileName: string,
  opts: ParseCloudOptions = {},
): PointCloud {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const format = opts.format ?? detectFormat(bytes, fileName);
  const o = { file: fileName, ...(opts.nonFinite ? { nonFinite: opts.nonFinite } : {}) };
  if (format === 'ply') return plyToPointCloud(parsePly(bytes, { ...o, elements: 'vertex' }));
  if (format === 'pcd') return pcdToPointCloud(parsePcd(bytes, o));
  return parseXyz(bytes, o).cloud;
}
