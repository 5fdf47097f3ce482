/**
 * Node wrappers around the platform-free format codecs: read a point-cloud file into the
 * shared PointCloud, write PLY/PCD atomically.
 */
import { readFileSync } from 'node:fs';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { parsePointCloud, writePcd, writePly, type ParseCloudOptions } from '../formats/index.js';
import type { WritePcdOptions, WritePlyOptions } from '../formats/index.js';
import { writeFileAtomic } from './atomic-write.js';

/** The bytes of a file (a Uint8Array view; the parsers accept it without copying). */
export function readFileBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new Error(`${path}: cannot read: ${why}`);
  }
}

/** Reads a .ply, .pcd or text (.txt/.xyz) file; errors name the path. */
export function readPointCloud(path: string, opts: ParseCloudOptions = {}): PointCloud {
  return parsePointCloud(readFileBytes(path), path, opts);
}

/** Writes a cloud as binary little-endian PLY (with all extra properties), atomically. */
export function writePointCloudPly(path: string, cloud: PointCloud, opts: WritePlyOptions = {}): void {
  writeFileAtomic(path, writePly(cloud, opts));
}

/** Writes a cloud as PCD (binary_compressed unless told otherwise), atomically. */
export function writePointCloudPcd(path: string, cloud: PointCloud, opts: WritePcdOptions = {}): void {
  writeFileAtomic(path, writePcd(cloud, opts));
}
