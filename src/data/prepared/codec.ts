/**
 * The prepared-scene binary codec ("pointcontrast-scene" v1): a small JSON header then aligned
 * little-endian arrays, decoded as zero-copy typed-array views. Platform-free (docs/datasets.md).
 */
import type { PointCloud, TypedArray } from '../../geometry/point-cloud.js';

/** An axis-aligned box of one object instance. */
export interface PreparedBox {
  /** Train id of the object's class. */
  label: number;
  /** Instance id (as in `cloud.instances`). */
  instance: number;
  center: [number, number, number];
  size: [number, number, number];
}

/** One prepared scene: `cloud.labels` are train ids (-1 ignore), `cloud.instances` -1 = none. */
export interface PreparedScene {
  name: string;
  cloud: PointCloud;
  boxes: PreparedBox[];
  /** Name of the label map the train ids refer to. */
  labelSet?: string;
  /** Small JSON-able provenance (source files, options key, …). */
  meta?: Record<string, unknown>;
}

/** The parsed JSON header of a prepared-scene file. */
export interface PreparedHeader {
  format: typeof FORMAT_NAME;
  version: number;
  name: string;
  points: number;
  /** Total file size in bytes (truncation check). */
  byteLength: number;
  labelSet?: string;
  arrays: { name: string; dtype: DType; components: number; offset: number }[];
  boxes: PreparedBox[];
  meta?: Record<string, unknown>;
}

export const FORMAT_NAME = 'pointcontrast-scene';
export const FORMAT_VERSION = 1;
/** File magic: 8 ASCII bytes. */
export const MAGIC = 'PCSCENE\n';
/** Bytes before the JSON header: magic + uint32 header length + uint32 reserved. */
export const PREAMBLE_BYTES = 16;
const ALIGN = 16;

type DType = 'float32' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float64';
const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int8: Int8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

/** Error for a corrupt or truncated prepared file; names the file and byte offset. */
export class PreparedFormatError extends Error {
  constructor(
    readonly file: string,
    readonly offset: number,
    what: string,
  ) {
    super(`${file}: byte ${offset}: ${what}`);
    this.name = 'PreparedFormatError';
  }
}

function dtypeOf(a: TypedArray): DType {
  for (const [k, C] of Object.entries(CTORS)) if (a instanceof C) return k as DType;
  throw new Error('unsupported typed array');
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

interface Part {
  name: string;
  data: TypedArray;
  components: number;
}

function partsOf(scene: PreparedScene): Part[] {
  const { cloud, name } = scene;
  const n = cloud.positions.length / 3;
  if (!Number.isInteger(n))
    throw new Error(`scene '${name}': positions length ${cloud.positions.length} not 3N`);
  const parts: Part[] = [{ name: 'coords', data: cloud.positions, components: 3 }];
  const check = (key: string, a: { length: number }, comps: number) => {
    if (a.length !== n * comps)
      throw new Error(`scene '${name}': ${key} has ${a.length} values, expected ${n * comps}`);
  };
  if (cloud.colors) parts.push({ name: 'colors', data: cloud.colors, components: 3 });
  if (cloud.normals) parts.push({ name: 'normals', data: cloud.normals, components: 3 });
  if (cloud.labels) {
    const s = new Int16Array(cloud.labels.length);
    for (let i = 0; i < s.length; i++) {
      const v = cloud.labels[i];
      if (v < -32768 || v > 32767)
        throw new Error(`scene '${name}': label ${v} at point ${i} does not fit int16`);
      s[i] = v;
    }
    parts.push({ name: 'semantic', data: s, components: 1 });
  }
  if (cloud.instances) parts.push({ name: 'instance', data: cloud.instances, components: 1 });
  for (const [k, v] of Object.entries(cloud.properties ?? {}))
    parts.push({ name: `properties.${k}`, data: v, components: 1 });
  for (const p of parts) check(p.name, p.data, p.components);
  return parts;
}

/** Encodes a scene as one "pointcontrast-scene" file. */
export function encodePreparedScene(scene: PreparedScene): Uint8Array {
  const parts = partsOf(scene);
  const arrays: PreparedHeader['arrays'] = [];
  const header: PreparedHeader = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    name: scene.name,
    points: scene.cloud.positions.length / 3,
    byteLength: 0,
    arrays,
    boxes: scene.boxes,
  };
  if (scene.labelSet !== undefined) header.labelSet = scene.labelSet;
  if (scene.meta !== undefined) header.meta = scene.meta;
  // Offsets depend on the header length, which depends on the offsets' digits: iterate to a fixed point.
  let headerBytes = 0;
  let json = '';
  for (let iter = 0; iter < 8; iter++) {
    let off = align(PREAMBLE_BYTES + headerBytes);
    arrays.length = 0;
    for (const p of parts) {
      arrays.push({ name: p.name, dtype: dtypeOf(p.data), components: p.components, offset: off });
      off = align(off + p.data.byteLength);
    }
    header.byteLength = off;
    json = JSON.stringify(header);
    const bytes = new TextEncoder().encode(json).length;
    if (bytes <= headerBytes) break;
    headerBytes = align(bytes + 64);
  }
  if (PREAMBLE_BYTES + headerBytes !== header.arrays[0].offset)
    throw new Error('prepared header layout did not converge');
  const enc = new TextEncoder().encode(json);
  const out = new Uint8Array(header.byteLength);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, headerBytes, true);
  out.set(enc, PREAMBLE_BYTES);
  out.fill(0x20, PREAMBLE_BYTES + enc.length, PREAMBLE_BYTES + headerBytes);
  parts.forEach((p, i) => {
    out.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), arrays[i].offset);
  });
  return out;
}

/** Reads and validates the header from the first bytes of a file (`bytes` may be just a prefix). */
export function decodePreparedHeader(bytes: Uint8Array, file = 'prepared scene'): PreparedHeader {
  if (bytes.length < PREAMBLE_BYTES) {
    throw new PreparedFormatError(
      file,
      bytes.length,
      `truncated: ${bytes.length} bytes, expected a ${PREAMBLE_BYTES}-byte preamble`,
    );
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) {
      throw new PreparedFormatError(file, i, `not a ${FORMAT_NAME} file (bad magic; expected "PCSCENE\\n")`);
    }
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (PREAMBLE_BYTES + len > bytes.length) {
    throw new PreparedFormatError(
      file,
      bytes.length,
      `truncated header: needs ${PREAMBLE_BYTES + len} bytes`,
    );
  }
  let h: PreparedHeader;
  try {
    h = JSON.parse(
      new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + len)),
    ) as PreparedHeader;
  } catch (e) {
    throw new PreparedFormatError(file, PREAMBLE_BYTES, `header is not valid JSON (${(e as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new PreparedFormatError(file, PREAMBLE_BYTES, `header: ${what}`);
  };
  if (typeof h !== 'object' || h === null) bad('expected a JSON object');
  if (h.format !== FORMAT_NAME) bad(`format is ${JSON.stringify(h.format)}, expected "${FORMAT_NAME}"`);
  if (h.version !== FORMAT_VERSION)
    bad(`version ${h.version} not supported (this reader reads ${FORMAT_VERSION})`);
  if (typeof h.name !== 'string') bad('name: expected a string');
  if (!Number.isInteger(h.points) || h.points < 0)
    bad(`points: expected a non-negative integer, got ${h.points}`);
  if (!Number.isInteger(h.byteLength) || h.byteLength < PREAMBLE_BYTES + len)
    bad(`byteLength ${h.byteLength} invalid`);
  if (!Array.isArray(h.arrays)) bad('arrays: expected a list');
  if (!Array.isArray(h.boxes)) bad('boxes: expected a list');
  for (const a of h.arrays) {
    const C = CTORS[a?.dtype as DType];
    if (!C) bad(`array ${JSON.stringify(a?.name)}: unknown dtype ${JSON.stringify(a?.dtype)}`);
    if (!Number.isInteger(a.components) || a.components < 1)
      bad(`array ${a.name}: bad components ${a.components}`);
    const end = a.offset + h.points * a.components * C.BYTES_PER_ELEMENT;
    if (
      !Number.isInteger(a.offset) ||
      a.offset % C.BYTES_PER_ELEMENT !== 0 ||
      a.offset < PREAMBLE_BYTES + len ||
      end > h.byteLength
    ) {
      bad(`array ${a.name}: offset ${a.offset} outside the data section or misaligned`);
    }
  }
  if (!h.arrays.some((a) => a.name === 'coords')) bad('no coords array');
  h.boxes.forEach((b, i) => {
    const v3 = (x: unknown) => Array.isArray(x) && x.length === 3 && x.every((y) => typeof y === 'number');
    if (!Number.isInteger(b?.label) || !Number.isInteger(b.instance) || !v3(b.center) || !v3(b.size)) {
      bad(`boxes[${i}]: expected { label, instance, center: [x,y,z], size: [dx,dy,dz] }`);
    }
  });
  return h;
}

/** Decodes a prepared-scene file; arrays are views into `buf` (labels are widened to Int32). */
export function decodePreparedScene(buf: ArrayBuffer | Uint8Array, file = 'prepared scene'): PreparedScene {
  if (!LITTLE_ENDIAN_HOST) throw new Error(`${file}: zero-copy decoding needs a little-endian host`);
  let bytes = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  if (bytes.byteOffset % ALIGN !== 0) bytes = bytes.slice();
  const h = decodePreparedHeader(bytes, file);
  if (bytes.length !== h.byteLength) {
    const what = bytes.length < h.byteLength ? 'truncated' : 'trailing bytes';
    throw new PreparedFormatError(
      file,
      Math.min(bytes.length, h.byteLength),
      `${what}: file has ${bytes.length} bytes, header says ${h.byteLength}`,
    );
  }
  const n = h.points;
  const view = (a: PreparedHeader['arrays'][number]): TypedArray => {
    const C = CTORS[a.dtype];
    return new C(bytes.buffer as ArrayBuffer, bytes.byteOffset + a.offset, n * a.components);
  };
  const cloud: PointCloud = { positions: new Float32Array(0) };
  for (const a of h.arrays) {
    const want = (dtype: DType, comps: number) => {
      if (a.dtype !== dtype || a.components !== comps) {
        throw new PreparedFormatError(
          file,
          PREAMBLE_BYTES,
          `header: array ${a.name} must be ${dtype}×${comps}, is ${a.dtype}×${a.components}`,
        );
      }
    };
    if (a.name === 'coords') {
      want('float32', 3);
      cloud.positions = view(a) as Float32Array;
    } else if (a.name === 'colors') {
      want('uint8', 3);
      cloud.colors = view(a) as Uint8Array;
    } else if (a.name === 'normals') {
      want('float32', 3);
      cloud.normals = view(a) as Float32Array;
    } else if (a.name === 'semantic') {
      want('int16', 1);
      cloud.labels = Int32Array.from(view(a) as Int16Array);
    } else if (a.name === 'instance') {
      want('int32', 1);
      cloud.instances = view(a) as Int32Array;
    } else if (a.name.startsWith('properties.')) {
      (cloud.properties ??= {})[a.name.slice('properties.'.length)] = view(a);
    }
  }
  const scene: PreparedScene = { name: h.name, cloud, boxes: h.boxes };
  if (h.labelSet !== undefined) scene.labelSet = h.labelSet;
  if (h.meta !== undefined) scene.meta = h.meta;
  return scene;
}
