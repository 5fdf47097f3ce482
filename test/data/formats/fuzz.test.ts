/**
 * Seeded fuzzing of every parser: byte flips, truncations, insertions and header edits of small
 * files built in code and of the real files in ../shared/data. Each case must either parse into
 * a consistent PointCloud or throw FormatError; any other exception fails, and so does a case
 * that never ends (the cases run in a worker thread under a generous hang guard).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writePcd, writePly } from '../../../src/data/formats/index.js';
import type { PointCloud } from '../../../src/geometry/point-cloud.js';
import { startWorker } from '../../../src/core/worker-pool.js';
import { SHARED, rng, sharedBytes, text } from './fixtures.js';
import { requireShared } from '../../helpers/requires.js';
import type { FuzzResult, Seed } from './fuzz-cases.js';
import type { FuzzReply, FuzzTask } from './fuzz-worker.js';

/** A case still running after this long is taken to hang (a case normally takes milliseconds). */
const HANG_GUARD_MS = 300_000;

/** Runs the fuzz loop in a worker; fails naming the case when one does not end within the guard. */
function fuzz(format: string, fileName: string, seeds: Seed[], seed: number): Promise<FuzzResult> {
  const worker = startWorker(new URL('./fuzz-worker.ts', import.meta.url));
  let current = 'before the first case';
  return new Promise<FuzzResult>((resolve, reject) => {
    const guard = setTimeout(() => {
      reject(new Error(`${current}: still running after ${HANG_GUARD_MS / 1000} s (a hang)`));
      void worker.terminate();
    }, HANG_GUARD_MS);
    const done = (f: () => void) => {
      clearTimeout(guard);
      void worker.terminate();
      f();
    };
    worker.on('message', (m: FuzzReply) => {
      if (m.kind === 'case') current = m.where;
      else if (m.kind === 'done') done(() => resolve(m.result));
      else done(() => reject(new Error(m.error)));
    });
    worker.on('error', (e) => done(() => reject(e)));
    worker.postMessage({ format, fileName, seeds, seed } satisfies FuzzTask);
  });
}

function smallCloud(n: number, seed: number): PointCloud {
  const r = rng(seed);
  return {
    positions: new Float32Array(3 * n).map(() => (r() - 0.5) * 10),
    colors: new Uint8Array(3 * n).map(() => Math.floor(r() * 256)),
    normals: new Float32Array(3 * n).map(() => r() - 0.5),
    labels: new Int32Array(n).map(() => Math.floor(r() * 20)),
    properties: {
      intensity: new Float32Array(n).map(() => r()),
      ring: new Uint16Array(n).map(() => Math.floor(r() * 64)),
    },
  };
}

function meshPly(format: 'ascii' | 'binary_little_endian' | 'binary_big_endian'): Uint8Array {
  const head = `ply\nformat ${format} 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nelement face 2\nproperty list uchar int vertex_indices\nend_header\n`;
  const rows = [
    [0, 0, 0, 255, 0, 0],
    [1, 0, 0, 0, 255, 0],
    [0, 1, 0, 0, 0, 255],
    [0, 0, 1, 9, 9, 9],
  ];
  const faces = [
    [0, 1, 2],
    [0, 2, 3],
  ];
  if (format === 'ascii')
    return text(
      head +
        rows.map((r) => r.join(' ')).join('\n') +
        '\n' +
        faces.map((f) => `3 ${f.join(' ')}`).join('\n') +
        '\n',
    );
  const le = format === 'binary_little_endian';
  const body = new DataView(new ArrayBuffer(4 * 15 + 2 * 13));
  let o = 0;
  for (const r of rows) {
    for (let k = 0; k < 3; k++, o += 4) body.setFloat32(o, r[k], le);
    for (let k = 3; k < 6; k++, o++) body.setUint8(o, r[k]);
  }
  for (const f of faces) {
    body.setUint8(o++, 3);
    for (const v of f) {
      body.setInt32(o, v, le);
      o += 4;
    }
  }
  const h = text(head);
  const out = new Uint8Array(h.length + body.byteLength);
  out.set(h);
  out.set(new Uint8Array(body.buffer), h.length);
  return out;
}

/** A shared file as a seed; none when it is absent locally (requireShared fails the run in CI). */
function shared(rel: string, cases: number): Seed[] {
  return requireShared(SHARED + rel)
    ? []
    : [{ name: rel.replace(/^.*\//, ''), bytes: sharedBytes(rel), cases }];
}

describe('fuzzing (seeded; parse or FormatError, never anything else)', () => {
  test('PLY: ascii / binary LE / binary BE fixtures with faces, writer output, ScanNet and 3DMatch files', async (t) => {
    const seeds: Seed[] = [
      { name: 'mesh ascii', bytes: meshPly('ascii'), cases: 100 },
      { name: 'mesh le', bytes: meshPly('binary_little_endian'), cases: 100 },
      { name: 'mesh be', bytes: meshPly('binary_big_endian'), cases: 80 },
      { name: 'writer ascii', bytes: writePly(smallCloud(20, 1), { format: 'ascii' }), cases: 60 },
      { name: 'writer le', bytes: writePly(smallCloud(20, 2)), cases: 60 },
      ...shared('3dmatch-pair/src.ply', 25),
      ...shared('scannet/scans/scene0000_00/scene0000_00_vh_clean_2.labels.ply', 15),
    ];
    const res = await fuzz('ply', 'fuzz.ply', seeds, 101);
    t.diagnostic(`PLY: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 50 && res.parsed > 20, 'the mutations exercise both outcomes');
  });

  test('PCD: ascii / binary / binary_compressed fixtures, PCL room scan and mOSD frame', async (t) => {
    const seeds: Seed[] = [
      { name: 'ascii', bytes: writePcd(smallCloud(12, 3), { data: 'ascii' }), cases: 110 },
      { name: 'binary', bytes: writePcd(smallCloud(12, 4), { data: 'binary' }), cases: 100 },
      { name: 'compressed', bytes: writePcd(smallCloud(40, 5), { data: 'binary_compressed' }), cases: 120 },
      ...shared('pcd/room_scan1.pcd', 15),
      ...shared('pcd/test55.pcd', 8),
    ];
    const res = await fuzz('pcd', 'fuzz.pcd', seeds, 202);
    t.diagnostic(`PCD: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 50 && res.parsed > 20, 'the mutations exercise both outcomes');
  });

  test('text rows', async (t) => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${i * 0.5} ${-i} ${i / 7} ${i % 256} 3 4 ${i % 13}`,
    ).join('\n');
    const seeds: Seed[] = [
      { name: 'xyzrgbl', bytes: text(`# comment\n${rows}\n`), cases: 200 },
      { name: 'xyz', bytes: text('1 2 3\n4,5,6\n7\t8\t9\n'), cases: 100 },
    ];
    const res = await fuzz('xyz', 'fuzz.txt', seeds, 303);
    t.diagnostic(`text: ${res.parsed} parsed, ${res.rejected} rejected with FormatError`);
    assert.ok(res.rejected > 30 && res.parsed > 20, 'the mutations exercise both outcomes');
  });
});
