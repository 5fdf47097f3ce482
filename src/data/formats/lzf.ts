/**
 * LZF (liblzf's format, as used by PCD binary_compressed): a bounds-checked decompressor that
 * reports the byte offset of corrupt data, and a small hash-chain-free compressor for writing.
 */
import { FormatError } from './errors.js';

/** The largest output/input ratio LZF can reach (a 3-byte back reference expands to 264 bytes). */
export const LZF_MAX_RATIO = 88;

/**
 * Decompresses `src` into exactly `outLength` bytes. `baseOffset` is the file offset of src[0]
 * (for error messages). Throws FormatError on corrupt or mis-sized data.
 */
export function lzfDecompress(src: Uint8Array, outLength: number, file: string, baseOffset = 0): Uint8Array {
  const out = new Uint8Array(outLength);
  const n = src.length;
  let ip = 0;
  let op = 0;
  const fail = (what: string, at: number): never => {
    throw new FormatError(file, `corrupt LZF data: ${what}`, { offset: baseOffset + at });
  };
  while (ip < n) {
    const at = ip;
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (ip + len > n) fail(`literal run of ${len} bytes runs past the end of the compressed data`, at);
      if (op + len > outLength) fail(`output exceeds the declared ${outLength} bytes`, at);
      for (let k = 0; k < len; k++) out[op++] = src[ip++];
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= n) fail('back reference cut off', at);
      len += src[ip++];
    }
    if (ip >= n) fail('back reference cut off', at);
    const ref = op - ((ctrl & 0x1f) << 8) - src[ip++] - 1;
    len += 2;
    if (ref < 0) fail(`back reference to ${-ref} bytes before the start of the output`, at);
    if (op + len > outLength) fail(`output exceeds the declared ${outLength} bytes`, at);
    for (let k = 0; k < len; k++) out[op++] = out[ref + k];
  }
  if (op !== outLength) {
    throw new FormatError(file, `LZF data decompresses to ${op} bytes, the header declares ${outLength}`, {
      offset: baseOffset + n,
    });
  }
  return out;
}

const HLOG = 14;
const MAX_OFF = 1 << 13;
const MAX_REF = 264;

function hash3(s: Uint8Array, i: number): number {
  return Math.imul((s[i] << 16) | (s[i + 1] << 8) | s[i + 2], 2654435761) >>> (32 - HLOG);
}

/** Compresses bytes with LZF (decompressible by liblzf, PCL and lzfDecompress). */
export function lzfCompress(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(n + (n >> 5) + 16);
  const table = new Int32Array(1 << HLOG).fill(-1);
  let ip = 0;
  let op = 0;
  let litStart = 0;
  let lit = 0;
  const closeLiterals = () => {
    if (lit > 0) out[litStart] = lit - 1;
    lit = 0;
  };
  while (ip < n) {
    if (ip + 2 < n) {
      const h = hash3(src, ip);
      const ref = table[h];
      table[h] = ip;
      const off = ip - ref - 1;
      if (
        ref >= 0 &&
        off < MAX_OFF &&
        src[ref] === src[ip] &&
        src[ref + 1] === src[ip + 1] &&
        src[ref + 2] === src[ip + 2]
      ) {
        const maxLen = Math.min(MAX_REF, n - ip);
        let len = 3;
        while (len < maxLen && src[ref + len] === src[ip + len]) len++;
        closeLiterals();
        const l = len - 2;
        if (l < 7) out[op++] = (l << 5) | (off >> 8);
        else {
          out[op++] = (7 << 5) | (off >> 8);
          out[op++] = l - 7;
        }
        out[op++] = off & 0xff;
        for (let k = ip + 1; k < ip + len && k + 2 < n; k++) table[hash3(src, k)] = k;
        ip += len;
        continue;
      }
    }
    if (lit === 0) litStart = op++;
    out[op++] = src[ip++];
    if (++lit === 32) closeLiterals();
  }
  closeLiterals();
  return out.slice(0, op);
}
