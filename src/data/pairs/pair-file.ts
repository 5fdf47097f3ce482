/**
 * The pair file ("pointcontrast-pair" v1): one partial-view pair per file. 8-byte magic, uint32
 * JSON header length, uint32 reserved, the JSON header, then 16-byte-aligned little-endian arrays:
 * view0/view1 positions float32 N×3 (world frame), optional colors uint8 N×3, and the
 * correspondences int32 K×2 (i into view0, j into view1). Platform-free; see docs/pairs.md.
 */
import type { Mat4 } from '../../geometry/rigid.js';

/** One view of a pair: world-frame points and its camera-to-world pose. */
export interface PairView {
  id: string;
  positions: Float32Array;
  colors?: Uint8Array;
  pose: Mat4;
}

/** A pre-training pair: two partial views of one scene and their point correspondences. */
export interface PointPair {
  scene: string;
  view0: PairView;
  view1: PairView;
  /** Interleaved (i, j): view0 point i and view1 point j lie within `radius` in the world frame. */
  corr: Int32Array;
  /** Overlap of the two views (docs/pairs.md). */
  overlap: number;
  /** Correspondence radius in metres. */
  radius: number;
  /** Small JSON-able extras (directed overlaps, source). */
  meta?: Record<string, unknown>;
}

type DType = 'float32' | 'uint8' | 'int32';
interface ArrayEntry {
  name: string;
  dtype: DType;
  components: number;
  offset: number;
  count: number;
}

/** The JSON header of a pair file. */
export interface PairHeader {
  format: typeof PAIR_FORMAT;
  version: number;
  scene: string;
  byteLength: number;
  overlap: number;
  radius: number;
  views: { id: string; points: number; pose: number[] }[];
  correspondences: number;
  arrays: ArrayEntry[];
  meta?: Record<string, unknown>;
}

export const PAIR_FORMAT = 'pointcontrast-pair';
export const PAIR_VERSION = 1;
/** File magic (8 ASCII bytes). */
export const PAIR_MAGIC = 'PCPAIR\n\0';
const PREAMBLE = 16;
const ALIGN = 16;
const BYTES: Record<DType, number> = { float32: 4, uint8: 1, int32: 4 };
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A corrupt or truncated pair file; names the file and byte offset. */
export class PairFormatError extends Error {
  constructor(file: string, offset: number, what: string) {
    super(`${file}: byte ${offset}: ${what}`);
    this.name = 'PairFormatError';
  }
}

function arraysOf(
  p: PointPair,
): { name: string; dtype: DType; components: number; data: Float32Array | Uint8Array | Int32Array }[] {
  const out: ReturnType<typeof arraysOf> = [];
  for (const [k, v] of [
    ['view0', p.view0],
    ['view1', p.view1],
  ] as const) {
    out.push({ name: `${k}.positions`, dtype: 'float32', components: 3, data: v.positions });
    if (v.colors) out.push({ name: `${k}.colors`, dtype: 'uint8', components: 3, data: v.colors });
  }
  out.push({ name: 'corr', dtype: 'int32', components: 2, data: p.corr });
  return out;
}

/** Serialises a pair (checks array lengths and correspondence ranges first). */
export function encodePair(p: PointPair): Uint8Array {
  if (!LITTLE_ENDIAN_HOST) throw new Error('encodePair: big-endian hosts are not supported');
  const n0 = p.view0.positions.length / 3;
  const n1 = p.view1.positions.length / 3;
  for (const [v, n] of [
    [p.view0, n0],
    [p.view1, n1],
  ] as const) {
    if (!Number.isInteger(n))
      throw new RangeError(`encodePair: view ${v.id} positions length is not a multiple of 3`);
    if (v.colors && v.colors.length !== n * 3)
      throw new RangeError(`encodePair: view ${v.id} has ${v.colors.length / 3} colours for ${n} points`);
    if (v.pose.length !== 16) throw new RangeError(`encodePair: view ${v.id} pose must have 16 entries`);
  }
  if (p.corr.length % 2) throw new RangeError('encodePair: correspondence array length is odd');
  checkCorr(p.corr, n0, n1, (msg) => new RangeError(`encodePair: ${msg}`));
  const arrays = arraysOf(p);
  const build = (offsetStart: number) => {
    let off = offsetStart;
    const entries: ArrayEntry[] = arrays.map((a) => {
      const e = {
        name: a.name,
        dtype: a.dtype,
        components: a.components,
        offset: off,
        count: a.data.length / a.components,
      };
      off = align(off + a.data.byteLength);
      return e;
    });
    return { entries, end: off };
  };
  // the header length depends on the offsets, which depend on the header length: iterate to a fixed point
  let headerBytes = 0;
  let json = '';
  let layout = build(0);
  for (let it = 0; it < 4; it++) {
    layout = build(align(PREAMBLE + headerBytes));
    const header: PairHeader = {
      format: PAIR_FORMAT,
      version: PAIR_VERSION,
      scene: p.scene,
      byteLength: layout.end,
      overlap: p.overlap,
      radius: p.radius,
      views: [p.view0, p.view1].map((v) => ({
        id: v.id,
        points: v.positions.length / 3,
        pose: Array.from(v.pose),
      })),
      correspondences: p.corr.length / 2,
      arrays: layout.entries,
      ...(p.meta ? { meta: p.meta } : {}),
    };
    json = JSON.stringify(header);
    const len = new TextEncoder().encode(json).length;
    if (len === headerBytes) break;
    headerBytes = len;
  }
  const out = new Uint8Array(layout.end);
  out.set(new TextEncoder().encode(PAIR_MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, headerBytes, true);
  out.set(new TextEncoder().encode(json), PREAMBLE);
  arrays.forEach((a, i) =>
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), layout.entries[i].offset),
  );
  return out;
}

function checkCorr(corr: Int32Array, n0: number, n1: number, err: (msg: string) => Error): void {
  for (let p = 0; p < corr.length; p += 2) {
    if (corr[p] < 0 || corr[p] >= n0 || corr[p + 1] < 0 || corr[p + 1] >= n1) {
      throw err(
        `correspondence ${p / 2} = (${corr[p]}, ${corr[p + 1]}) is outside the views' ${n0} and ${n1} points`,
      );
    }
  }
}

/** Reads and validates the header of a pair file. */
export function decodePairHeader(bytes: Uint8Array, file = '<buffer>'): PairHeader {
  if (bytes.length < PREAMBLE)
    throw new PairFormatError(file, 0, `file of ${bytes.length} bytes is too short for a pair file`);
  const magic = new TextDecoder().decode(bytes.subarray(0, 8));
  if (magic !== PAIR_MAGIC)
    throw new PairFormatError(
      file,
      0,
      `bad magic ${JSON.stringify(magic)}, expected ${JSON.stringify(PAIR_MAGIC)}`,
    );
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (PREAMBLE + len > bytes.length)
    throw new PairFormatError(
      file,
      8,
      `header length ${len} runs past the end of the file (${bytes.length} bytes)`,
    );
  let h: PairHeader;
  try {
    h = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE, PREAMBLE + len))) as PairHeader;
  } catch (e) {
    throw new PairFormatError(file, PREAMBLE, `header is not valid JSON (${(e as Error).message})`);
  }
  if (h.format !== PAIR_FORMAT)
    throw new PairFormatError(
      file,
      PREAMBLE,
      `header format is ${JSON.stringify(h.format)}, expected "${PAIR_FORMAT}"`,
    );
  if (h.version !== PAIR_VERSION)
    throw new PairFormatError(
      file,
      PREAMBLE,
      `unsupported version ${h.version} (this reader knows ${PAIR_VERSION})`,
    );
  if (!Array.isArray(h.views) || h.views.length !== 2 || !Array.isArray(h.arrays)) {
    throw new PairFormatError(file, PREAMBLE, 'header must list exactly 2 views and the arrays');
  }
  if (h.byteLength !== bytes.length) {
    throw new PairFormatError(
      file,
      bytes.length,
      `file has ${bytes.length} bytes, header says ${h.byteLength} (truncated or padded file)`,
    );
  }
  for (const a of h.arrays) {
    const size = BYTES[a.dtype];
    if (!size)
      throw new PairFormatError(file, PREAMBLE, `array ${a.name}: unknown dtype ${JSON.stringify(a.dtype)}`);
    if (!(
      a.offset >= PREAMBLE + len &&
      a.offset % 4 === 0 &&
      a.offset + a.count * a.components * size <= bytes.length
    )) {
      throw new PairFormatError(
        file,
        a.offset,
        `array ${a.name} (${a.count}×${a.components} ${a.dtype}) lies outside the file`,
      );
    }
  }
  return h;
}

/** Decodes a pair file (zero-copy views when the buffer is 4-byte aligned; validates counts and indices). */
export function decodePair(bytes: Uint8Array, file = '<buffer>'): PointPair {
  const h = decodePairHeader(bytes, file);
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const get = (name: string, dtype: DType, components: number, count: number, required: boolean) => {
    const a = h.arrays.find((e) => e.name === name);
    if (!a) {
      if (required) throw new PairFormatError(file, PREAMBLE, `missing array ${name}`);
      return undefined;
    }
    if (a.dtype !== dtype || a.components !== components || (count >= 0 && a.count !== count)) {
      throw new PairFormatError(
        file,
        a.offset,
        `array ${name} is ${a.count}×${a.components} ${a.dtype}, expected ${count >= 0 ? count : 'K'}×${components} ${dtype}`,
      );
    }
    const at = bytes.byteOffset + a.offset;
    const n = a.count * components;
    return dtype === 'float32'
      ? new Float32Array(bytes.buffer, at, n)
      : dtype === 'uint8'
        ? new Uint8Array(bytes.buffer, at, n)
        : new Int32Array(bytes.buffer, at, n);
  };
  const view = (k: 0 | 1): PairView => {
    const hv = h.views[k];
    if (!Array.isArray(hv.pose) || hv.pose.length !== 16)
      throw new PairFormatError(file, PREAMBLE, `view ${k} pose must have 16 numbers`);
    const v: PairView = {
      id: String(hv.id),
      positions: get(`view${k}.positions`, 'float32', 3, hv.points, true) as Float32Array,
      pose: Float64Array.from(hv.pose),
    };
    const c = get(`view${k}.colors`, 'uint8', 3, hv.points, false) as Uint8Array | undefined;
    if (c) v.colors = c;
    return v;
  };
  const view0 = view(0);
  const view1 = view(1);
  const corr = get('corr', 'int32', 2, h.correspondences, true) as Int32Array;
  checkCorr(
    corr,
    h.views[0].points,
    h.views[1].points,
    (msg) => new PairFormatError(file, h.arrays.find((a) => a.name === 'corr')!.offset, msg),
  );
  const pair: PointPair = { scene: h.scene, view0, view1, corr, overlap: h.overlap, radius: h.radius };
  if (h.meta) pair.meta = h.meta;
  return pair;
}
