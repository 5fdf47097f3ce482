/**
 * The fuzz loop run inside a worker thread (fuzz-worker.ts): seeded mutations of seed files (byte
 * flips, truncations, insertions, header edits); each case must parse into a consistent
 * PointCloud or throw a FormatError naming the file.
 */
import assert from 'node:assert/strict';
import { FormatError, parsePointCloud } from '../../../src/data/formats/index.js';
import type { NonFinitePolicy } from '../../../src/data/formats/index.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { rng } from './fixtures.js';

export interface Seed {
  name: string;
  bytes: Uint8Array;
  /** Cases to run on this seed. */
  cases: number;
}

const POLICIES: NonFinitePolicy[] = ['error', 'drop', 'keep'];
const NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '255',
  '65536',
  '2147483648',
  '4294967297',
  '4000000000',
  '1e18',
  'nan',
  'abc',
  '',
];
const WORDS = [
  'uchar',
  'float',
  'double',
  'list',
  'int',
  'F',
  'U',
  'I',
  'binary',
  'ascii',
  'binary_compressed',
  'vertex',
  'face',
  'x',
  'rgb',
  'label',
];

/** Where the text header ends (PLY end_header / PCD DATA line), or a small prefix for text rows. */
function headerEnd(b: Uint8Array): number {
  const s = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 4096)));
  for (const marker of ['end_header\n', '\nDATA ']) {
    const i = s.indexOf(marker);
    if (i >= 0) return s.indexOf('\n', i + 1) + 1 || s.length;
  }
  return Math.min(b.length, 64);
}

function editHeader(b: Uint8Array, r: () => number): Uint8Array {
  const end = headerEnd(b);
  const lines = new TextDecoder('latin1').decode(b.subarray(0, end)).split('\n');
  const i = Math.floor(r() * Math.max(1, lines.length - 1));
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)];
  const op = Math.floor(r() * 5);
  if (op === 0) {
    const toks = lines[i].split(' ');
    toks[Math.floor(r() * toks.length)] = pick(r() < 0.6 ? NUMBERS : WORDS);
    lines[i] = toks.join(' ');
  } else if (op === 1) lines.splice(i, 1);
  else if (op === 2) lines.splice(i, 0, lines[i]);
  else if (op === 3) {
    const j = Math.floor(r() * Math.max(1, lines.length - 1));
    [lines[i], lines[j]] = [lines[j], lines[i]];
  } else lines[i] = lines[i].toUpperCase();
  const head = Uint8Array.from(lines.join('\n'), (c) => c.charCodeAt(0) & 255);
  const out = new Uint8Array(head.length + b.length - end);
  out.set(head);
  out.set(b.subarray(end), head.length);
  return out;
}

function mutate(src: Uint8Array, r: () => number): { bytes: Uint8Array; what: string } {
  const what: string[] = [];
  let b = src;
  const rounds = r() < 0.3 ? 2 : 1;
  for (let k = 0; k < rounds; k++) {
    const op = Math.floor(r() * 4);
    if (op === 0) {
      b = b.slice();
      const flips = 1 + Math.floor(r() * 8);
      // A third of the flips hit the header, a third the data after it, a third anywhere.
      const h = Math.min(headerEnd(b), b.length);
      const zone = Math.floor(r() * 3);
      const [lo, hi] = zone === 0 ? [0, h] : zone === 1 ? [h, b.length] : [0, b.length];
      if (hi > lo)
        for (let f = 0; f < flips; f++) b[lo + Math.floor(r() * (hi - lo))] = Math.floor(r() * 256);
      what.push(`flip ${flips}`);
    } else if (op === 1) {
      const at = Math.floor(r() * b.length);
      b = b.slice(0, at);
      what.push(`truncate ${at}`);
    } else if (op === 2) {
      b = editHeader(b, r);
      what.push('header edit');
    } else {
      const at = Math.floor(r() * b.length);
      const ins = new Uint8Array(1 + Math.floor(r() * 16)).map(() => Math.floor(r() * 256));
      const out = new Uint8Array(b.length + ins.length);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + ins.length);
      b = out;
      what.push(`insert ${ins.length} at ${at}`);
    }
  }
  return { bytes: b, what: what.join(' + ') };
}

function checkCloud(c: PointCloud, where: string): void {
  const n = c.positions.length / 3;
  assert.ok(Number.isInteger(n), `${where}: positions length`);
  if (c.colors) assert.equal(c.colors.length, 3 * n, `${where}: colors length`);
  if (c.normals) assert.equal(c.normals.length, 3 * n, `${where}: normals length`);
  if (c.labels) assert.equal(c.labels.length, n, `${where}: labels length`);
  if (c.instances) assert.equal(c.instances.length, n, `${where}: instances length`);
  for (const [k, v] of Object.entries(c.properties ?? {}))
    assert.equal(v.length, n, `${where}: property ${k} length`);
}

/** Cases that parsed and cases rejected with a FormatError. */
export interface FuzzResult {
  parsed: number;
  rejected: number;
}

/**
 * Runs `seeds` (each mutated `cases` times with the generator seeded by `seed`); `onCase` hears
 * each case's description before it is parsed (the hang guard names the case that did not end).
 */
export function fuzz(
  format: string,
  fileName: string,
  seeds: Seed[],
  seed: number,
  onCase: (where: string) => void = () => {},
): FuzzResult {
  const r = rng(seed);
  let parsed = 0;
  let rejected = 0;
  for (const s of seeds) {
    for (let c = 0; c < s.cases; c++) {
      const { bytes, what } = mutate(s.bytes, r);
      const policy = POLICIES[Math.floor(r() * 3)];
      const where = `${format} seed ${seed}, ${s.name} case ${c} (${what}, nonFinite ${policy})`;
      onCase(where);
      try {
        checkCloud(parsePointCloud(bytes, fileName, { nonFinite: policy }), where);
        parsed++;
      } catch (e) {
        if (!(e instanceof FormatError)) assert.fail(`${where}: threw ${(e as Error)?.stack ?? String(e)}`);
        assert.ok(e.message.startsWith(`${fileName}: `), `${where}: message names the file: ${e.message}`);
        rejected++;
      }
    }
  }
  return { parsed, rejected };
}
