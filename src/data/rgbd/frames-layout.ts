/**
 * RGB-D frames in the 3DMatch toolbox / Microsoft 7-Scenes layout, the frames PointContrast's own
 * pairs come from: `camera-intrinsics.txt` (a 3×3 K as text) in the scene folder, and the frames
 * in a sequence folder (`seq-01/`, `rgbd-frames/`, … or the scene folder itself) as
 * `frame-XXXXXX.depth.png` (uint16 millimetres; 0 and 65535 mean no depth),
 * `frame-XXXXXX.pose.txt` (4×4 camera-to-world, row-major) and optional `frame-XXXXXX.color.png`.
 * Each sequence folder is one scene; it reads into the same `RgbdScene` as ScanNet's export.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Intrinsics } from '../../geometry/camera.js';
import { decodePng } from '../io/png.js';
import { colorAtDepthSize, parseMatrix4, type RgbdFrame, type RgbdScene } from './scannet-layout.js';

/** The intrinsics file of the layout. */
export const FRAMES_INTRINSICS = 'camera-intrinsics.txt';

const FRAME_DEPTH = /^frame-(\d+)\.depth\.png$/;

/** Depth value the 7-Scenes Kinect export writes where it has no measurement (besides 0). */
const NO_DEPTH = 65535;

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Whether `dir` holds frames of this layout (`frame-*.depth.png`). */
export function hasFrameFiles(dir: string): boolean {
  return isDir(dir) && readdirSync(dir).some((f) => FRAME_DEPTH.test(f));
}

/** The intrinsics file of a sequence folder: in the folder itself or its parent (the scene). */
export function framesIntrinsicsFile(seqDir: string): string | undefined {
  return [join(seqDir, FRAMES_INTRINSICS), join(dirname(seqDir), FRAMES_INTRINSICS)].find((p) =>
    existsSync(p),
  );
}

/**
 * The sequence folders under `root`: `root` itself if it holds frames, else its sub-folders that
 * do, else (a folder of scenes) their sub-folders that do; each needs the intrinsics file.
 */
export function listFrameSequences(root: string): string[] {
  if (hasFrameFiles(root)) return [root];
  const subs = (d: string) =>
    readdirSync(d)
      .sort()
      .map((n) => join(d, n))
      .filter(isDir);
  const direct = subs(root).filter(hasFrameFiles);
  if (direct.length > 0) return direct;
  return subs(root).flatMap((s) => subs(s).filter(hasFrameFiles));
}

/** Parses a 3×3 intrinsics text file (3 lines of 3 numbers). */
export function parseIntrinsics3x3(
  text: string,
  file: string,
): { fx: number; fy: number; cx: number; cy: number } {
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (rows.length !== 3)
    throw new Error(`${file}: expected 3 lines of 3 numbers (a 3×3 K), found ${rows.length} lines`);
  const k = rows.map((l, r) => {
    const tok = l.split(/\s+/);
    if (tok.length !== 3) throw new Error(`${file}: line ${r + 1}: expected 3 numbers, found ${tok.length}`);
    return tok.map((t) => {
      const v = Number(t);
      if (!Number.isFinite(v)) throw new Error(`${file}: line ${r + 1}: '${t}' is not a finite number`);
      return v;
    });
  });
  const [fx, fy, cx, cy] = [k[0][0], k[1][1], k[0][2], k[1][2]];
  if (!(fx > 0 && fy > 0)) throw new Error(`${file}: fx = K[0][0] and fy = K[1][1] must be > 0`);
  return { fx, fy, cx, cy };
}

/** The scene name of a sequence folder: `<scene>_<seq>` when the intrinsics sit in the parent. */
export function frameSequenceName(seqDir: string): string {
  return existsSync(join(seqDir, FRAMES_INTRINSICS))
    ? basename(seqDir)
    : `${basename(dirname(seqDir))}_${basename(seqDir)}`;
}

/** Opens one sequence folder; throws naming the missing or malformed file. */
export function openFramesScene(seqDir: string): RgbdScene {
  const kFile = framesIntrinsicsFile(seqDir);
  if (!kFile)
    throw new Error(
      `${seqDir}: no ${FRAMES_INTRINSICS} in the folder or its parent (3DMatch / 7-Scenes layout)`,
    );
  const k = parseIntrinsics3x3(readFileSync(kFile, 'utf8'), kFile);
  const file = (id: number, width: number, kind: string) =>
    join(seqDir, `frame-${String(id).padStart(width, '0')}.${kind}`);
  const ids: number[] = [];
  let width = 6;
  for (const f of readdirSync(seqDir)) {
    const m = FRAME_DEPTH.exec(f);
    if (!m) continue;
    width = m[1].length;
    const id = Number(m[1]);
    if (existsSync(file(id, width, 'pose.txt'))) ids.push(id);
  }
  ids.sort((a, b) => a - b);
  if (ids.length === 0)
    throw new Error(`${seqDir}: no frame has both frame-N.depth.png and frame-N.pose.txt`);
  const firstFile = file(ids[0], width, 'depth.png');
  const first = decodePng(readFileSync(firstFile), firstFile);
  const intrinsics: Intrinsics = { width: first.width, height: first.height, ...k };
  return {
    name: frameSequenceName(seqDir),
    dir: seqDir,
    intrinsics,
    frameIds: ids,
    readFrame(id, opts = {}) {
      const poseFile = file(id, width, 'pose.txt');
      const pose = parseMatrix4(readFileSync(poseFile, 'utf8'), poseFile);
      if (!pose.every(Number.isFinite)) return null;
      const dFile = file(id, width, 'depth.png');
      const img = decodePng(readFileSync(dFile), dFile);
      if (img.channels !== 1 || img.bitDepth !== 16)
        throw new Error(
          `${dFile}: expected a 16-bit grayscale depth PNG, got ${img.channels} channel(s) at ${img.bitDepth} bits`,
        );
      if (img.width !== intrinsics.width || img.height !== intrinsics.height)
        throw new Error(
          `${dFile}: size ${img.width}×${img.height} differs from the sequence's ${intrinsics.width}×${intrinsics.height}`,
        );
      const depth = new Uint16Array(img.data as Uint16Array);
      for (let i = 0; i < depth.length; i++) if (depth[i] === NO_DEPTH) depth[i] = 0;
      const frame: RgbdFrame = { width: img.width, height: img.height, depth, pose };
      const cFile = file(id, width, 'color.png');
      if (opts.color && existsSync(cFile))
        frame.color = colorAtDepthSize(decodePng(readFileSync(cFile), cFile), img.width, img.height, cFile);
      return frame;
    },
  };
}
