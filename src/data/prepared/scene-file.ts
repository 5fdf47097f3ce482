/**
 * Node IO for prepared-scene files: atomic write, full read, and a cheap header-only check
 * (valid header + exact size) used to skip finished scenes when `data prepare` is re-run.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic-write.js';
import {
  decodePreparedHeader,
  decodePreparedScene,
  encodePreparedScene,
  PREAMBLE_BYTES,
  type PreparedHeader,
  type PreparedScene,
} from './codec.js';

/** File name of a scene in a prepared folder. */
export const SCENE_SUFFIX = '.bin';

/** Writes a scene atomically (temp file + rename); returns the byte size. */
export function writePreparedSceneFile(path: string, scene: PreparedScene): number {
  const bytes = encodePreparedScene(scene);
  writeFileAtomic(path, bytes);
  return bytes.length;
}

/** Reads and decodes a scene file (arrays are views into one exactly-sized buffer). */
export function readPreparedSceneFile(path: string): PreparedScene {
  const b = readFileSync(path);
  return decodePreparedScene(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), path);
}

/** Reads only the header of a scene file and checks the file size against it; throws if invalid. */
export function readPreparedHeaderFile(path: string): PreparedHeader {
  const size = statSync(path).size;
  const fd = openSync(path, 'r');
  try {
    const pre = new Uint8Array(Math.min(size, PREAMBLE_BYTES));
    readSync(fd, pre, 0, pre.length, 0);
    let head = pre;
    if (pre.length === PREAMBLE_BYTES) {
      const len = new DataView(pre.buffer).getUint32(8, true);
      head = new Uint8Array(Math.min(size, PREAMBLE_BYTES + len));
      readSync(fd, head, 0, head.length, 0);
    }
    const h = decodePreparedHeader(head, path);
    if (h.byteLength !== size) {
      const what = size < h.byteLength ? 'truncated' : 'trailing bytes';
      throw new Error(
        `${path}: byte ${Math.min(size, h.byteLength)}: ${what}: file has ${size} bytes, header says ${h.byteLength}`,
      );
    }
    return h;
  } finally {
    closeSync(fd);
  }
}
