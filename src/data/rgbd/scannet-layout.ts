/**
 * RGB-D frames in ScanNet's exported layout (what its SensorData reader writes):
 * `<scene>/depth/<i>.png` uint16 millimetres (0 = invalid), `<scene>/pose/<i>.txt` 4×4 camera-to-world
 * (row-major text), `<scene>/intrinsic/intrinsic_depth.txt` 4×4 (fx, fy, cx, cy), optional colour
 * `<scene>/color/<i>.png` (we write PNG at depth resolution; ScanNet's `.jpg` colour is not decoded).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Intrinsics } from '../../geometry/camera.js';
import type { Mat4 } from '../../geometry/rigid.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { decodePng, encodePng } from '../io/png.js';

/** One frame: depth in millimetres, camera-to-world pose, optional RGB at depth resolution. */
export interface RgbdFrame {
  width: number;
  height: number;
  depth: Uint16Array;
  pose: Mat4;
  color?: Uint8Array;
}

/** Parses a 4×4 matrix text file (4 lines of 4 numbers; `inf`/`nan` tokens allowed, they parse as non-finite). */
export function parseMatrix4(text: string, file: string): Mat4 {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length !== 4)
    throw new Error(`${file}: expected 4 lines of 4 numbers (a 4×4 matrix), found ${lines.length} lines`);
  const m = new Float64Array(16);
  lines.forEach((line, r) => {
    const tok = line.trim().split(/\s+/);
    if (tok.length !== 4) throw new Error(`${file}: line ${r + 1}: expected 4 numbers, found ${tok.length}`);
    tok.forEach((t, c) => {
      const v = /^[+-]?inf(inity)?$/i.test(t)
        ? t.startsWith('-')
          ? -Infinity
          : Infinity
        : /^nan$/i.test(t)
          ? NaN
          : Number(t);
      if (Number.isNaN(v) && !/^nan$/i.test(t))
        throw new Error(`${file}: line ${r + 1}: '${t}' is not a number`);
      m[r * 4 + c] = v;
    });
  });
  return m;
}

/** Formats a 4×4 matrix the way ScanNet's files look (full float64 precision, so it round-trips). */
export function formatMatrix4(m: ArrayLike<number>): string {
  const rows: string[] = [];
  for (let r = 0; r < 4; r++) rows.push(Array.from({ length: 4 }, (_, c) => String(m[r * 4 + c])).join(' '));
  return `${rows.join('\n')}\n`;
}

/** Writes `intrinsic/intrinsic_depth.txt` (and the same as `intrinsic_color.txt`: our colour is at depth resolution). */
export function writeRgbdIntrinsics(sceneDir: string, k: Intrinsics): void {
  const m = [k.fx, 0, k.cx, 0, 0, k.fy, k.cy, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  writeFileAtomic(join(sceneDir, 'intrinsic', 'intrinsic_depth.txt'), formatMatrix4(m));
  writeFileAtomic(join(sceneDir, 'intrinsic', 'intrinsic_color.txt'), formatMatrix4(m));
}

/** Writes frame `id`: depth PNG (uint16 mm), pose text, and colour PNG if present. */
export function writeRgbdFrame(sceneDir: string, id: number, f: RgbdFrame): void {
  writeFileAtomic(
    join(sceneDir, 'depth', `${id}.png`),
    encodePng({ width: f.width, height: f.height, channels: 1, bitDepth: 16, data: f.depth }),
  );
  writeFileAtomic(join(sceneDir, 'pose', `${id}.txt`), formatMatrix4(f.pose));
  if (f.color) {
    writeFileAtomic(
      join(sceneDir, 'color', `${id}.png`),
      encodePng({ width: f.width, height: f.height, channels: 3, bitDepth: 8, data: f.color }),
    );
  }
}

/** A scene folder in ScanNet's export layout. */
export interface RgbdScene {
  name: string;
  dir: string;
  /** fx, fy, cx, cy from intrinsic_depth.txt; width/height from the first depth image. */
  intrinsics: Intrinsics;
  /** Frame ids having both a depth PNG and a pose file, ascending. */
  frameIds: number[];
  /** Reads frame `id`; returns null when its pose is not finite (ScanNet writes -inf for lost tracking). */
  readFrame(id: number, opts?: { color?: boolean }): RgbdFrame | null;
}

/** A colour PNG resampled (nearest) to the depth image's size, as packed RGB. */
export function colorAtDepthSize(
  img: ReturnType<typeof decodePng>,
  w: number,
  h: number,
  file: string,
): Uint8Array {
  if (img.bitDepth !== 8) throw new Error(`${file}: expected an 8-bit colour PNG, got ${img.bitDepth}-bit`);
  const out = new Uint8Array(w * h * 3);
  const ch = img.channels;
  for (let v = 0; v < h; v++) {
    const sv = Math.min(img.height - 1, Math.floor(((v + 0.5) * img.height) / h));
    for (let u = 0; u < w; u++) {
      const su = Math.min(img.width - 1, Math.floor(((u + 0.5) * img.width) / w));
      const s = (sv * img.width + su) * ch;
      const o = (v * w + u) * 3;
      out[o] = img.data[s];
      out[o + 1] = img.data[ch >= 3 ? s + 1 : s];
      out[o + 2] = img.data[ch >= 3 ? s + 2 : s];
    }
  }
  return out;
}

/** Opens a scene folder; throws naming the missing file or folder. */
export function openRgbdScene(dir: string): RgbdScene {
  const kFile = join(dir, 'intrinsic', 'intrinsic_depth.txt');
  if (!existsSync(kFile))
    throw new Error(`${dir}: not a ScanNet-layout scene (missing intrinsic/intrinsic_depth.txt)`);
  const K = parseMatrix4(readFileSync(kFile, 'utf8'), kFile);
  const depthDir = join(dir, 'depth');
  if (!existsSync(depthDir)) throw new Error(`${dir}: missing depth/ folder`);
  const ids = readdirSync(depthDir)
    .map((f) => /^(\d+)\.png$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .filter((id) => existsSync(join(dir, 'pose', `${id}.txt`)))
    .sort((a, b) => a - b);
  if (ids.length === 0) throw new Error(`${dir}: no frame has both depth/<i>.png and pose/<i>.txt`);
  const first = decodePng(readFileSync(join(depthDir, `${ids[0]}.png`)), join(depthDir, `${ids[0]}.png`));
  const intrinsics: Intrinsics = {
    width: first.width,
    height: first.height,
    fx: K[0],
    fy: K[5],
    cx: K[2],
    cy: K[6],
  };
  if (!(K[0] > 0 && K[5] > 0)) throw new Error(`${kFile}: fx = K[0][0] and fy = K[1][1] must be > 0`);
  return {
    name: basename(dir),
    dir,
    intrinsics,
    frameIds: ids,
    readFrame(id, opts = {}) {
      const poseFile = join(dir, 'pose', `${id}.txt`);
      const pose = parseMatrix4(readFileSync(poseFile, 'utf8'), poseFile);
      if (!pose.every(Number.isFinite)) return null;
      const dFile = join(depthDir, `${id}.png`);
      const img = decodePng(readFileSync(dFile), dFile);
      if (img.channels !== 1 || img.bitDepth !== 16) {
        throw new Error(
          `${dFile}: expected a 16-bit grayscale depth PNG, got ${img.channels} channel(s) at ${img.bitDepth} bits`,
        );
      }
      if (img.width !== intrinsics.width || img.height !== intrinsics.height) {
        throw new Error(
          `${dFile}: size ${img.width}×${img.height} differs from the scene's ${intrinsics.width}×${intrinsics.height}`,
        );
      }
      const frame: RgbdFrame = { width: img.width, height: img.height, depth: img.data as Uint16Array, pose };
      const cFile = join(dir, 'color', `${id}.png`);
      if (opts.color && existsSync(cFile)) {
        frame.color = colorAtDepthSize(decodePng(readFileSync(cFile), cFile), img.width, img.height, cFile);
      }
      return frame;
    },
  };
}
