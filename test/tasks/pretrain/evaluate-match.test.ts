/**
 * `evaluate match` end to end (CLI → loadModel → parseTransform → evaluateMatch / evaluatePairFolder
 * → embedCloud → featureMatch) on a hand-made pair with a known transform: the reference is the
 * source shifted by 16 voxels along each axis, a shift that keeps every stride of the U-Net
 * aligned, so a sparse convolutional network gives both copies of a voxel the same features
 * whatever its weights: every source voxel has its partner within 3.75 cm and as its nearest
 * feature, hit ratio 1. The identity as the transform leaves no correspondence at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePly } from '../../../src/data/formats/index.js';
import { encodePair } from '../../../src/data/pairs/pair-file.js';
import { buildPairsManifest } from '../../../src/data/pairs/manifest.js';
import { resolvePairSettings } from '../../../src/data/pairs/generate.js';
import { parseTransform } from '../../../src/tasks/pretrain/infer.js';
import { rng } from '../../helpers/backends.js';

const MAIN = new URL('../../../src/cli/main.ts', import.meta.url).pathname;
const CONFIG = new URL('../../../configs/pretrain/synthetic-small.yaml', import.meta.url).pathname;
const VOXEL = 0.05; // the config's voxel size
const SHIFT = [16 * VOXEL, -16 * VOXEL, 16 * VOXEL];

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--backend', 'wasm', ...args], {
    encoding: 'utf8',
    env: { ...process.env, POINTCONTRAST_QUIET: '1' },
  });
}

function ok(...args: string[]): string {
  const r = cli(...args);
  assert.equal(r.status, 0, `${args.slice(0, 2).join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

/** 150 distinct voxels of a 10 × 10 × 8 block, one point at each centre. */
function sourcePoints(): Float32Array {
  const r = rng(23);
  const seen = new Set<string>();
  const out: number[] = [];
  while (seen.size < 150) {
    const c = [Math.floor(r() * 10), Math.floor(r() * 10), Math.floor(r() * 8)];
    const key = c.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...c.map((v) => (v + 0.5) * VOXEL));
  }
  return Float32Array.from(out);
}

const shifted = (p: Float32Array) => p.map((v, i) => v + SHIFT[i % 3]);

/** A one-pair folder: both views hold the same world points; view 1's camera sits at −SHIFT. */
function writePairFolder(dir: string, world: Float32Array): void {
  const n = world.length / 3;
  const pose1 = new Float64Array([1, 0, 0, -SHIFT[0], 0, 1, 0, -SHIFT[1], 0, 0, 1, -SHIFT[2], 0, 0, 0, 1]);
  const eye = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  const bytes = encodePair({
    scene: 'block',
    view0: { id: 'v0', positions: world, pose: eye },
    view1: { id: 'v1', positions: world, pose: pose1 },
    corr: Int32Array.from({ length: 2 * n }, (_, i) => i >> 1),
    overlap: 1,
    radius: 1.5 * VOXEL,
  });
  mkdirSync(join(dir, 'block'), { recursive: true });
  writeFileSync(join(dir, 'block', 'pair-0.bin'), bytes);
  const settings = resolvePairSettings({ from: 'synth', voxel: VOXEL, out: dir });
  const entry = {
    file: 'block/pair-0.bin',
    scene: 'block',
    views: ['v0', 'v1'] as [string, string],
    overlap: 1,
    points: [n, n] as [number, number],
    correspondences: n,
    bytes: bytes.byteLength,
  };
  const manifest = buildPairsManifest(settings, [
    {
      key: 'block',
      name: 'block',
      source: 'test',
      views: 2,
      tested: 1,
      dropped: [],
      pairs: [entry],
      settings,
    },
  ]);
  writeFileSync(join(dir, 'pairs.json'), JSON.stringify(manifest));
}

test('evaluate match: a known shift gives hit ratio 1 on every voxel; the identity gives no correspondence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-match-'));
  try {
    const src = sourcePoints();
    const n = src.length / 3;
    writeFileSync(join(dir, 'src.ply'), writePly({ positions: src }));
    writeFileSync(join(dir, 'ref.ply'), writePly({ positions: shifted(src) }));
    // row-major, separators as users write them: spaces, commas, a blank line
    writeFileSync(
      join(dir, 'T.txt'),
      `1 0 0 ${SHIFT[0]}\n0 1 0 ${SHIFT[1]}\n\n0, 0, 1, ${SHIFT[2]}\n0 0 0 1\n`,
    );
    writeFileSync(join(dir, 'I.txt'), '1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n');
    const pairs = join(dir, 'pairs');
    writePairFolder(pairs, src);
    const run = join(dir, 'run');
    ok('pretrain', '--config', CONFIG, '--out', run, '--max-steps', '0', '--set', `data.source.dir=${pairs}`);

    const match = (t: string) =>
      JSON.parse(
        ok(
          'evaluate',
          'match',
          '--checkpoint',
          run,
          '--src',
          join(dir, 'src.ply'),
          '--ref',
          join(dir, 'ref.ply'),
          '--transform',
          join(dir, t),
          '--json',
        ),
      );
    assert.deepEqual(match('T.txt'), { pairs: n, hit_ratio: 1, feature_match_recall: 1 });
    assert.deepEqual(match('I.txt'), { pairs: 0, hit_ratio: 0, feature_match_recall: 0 });
    // the pair folder, views in their camera frames: the same shift as the ground truth
    assert.deepEqual(JSON.parse(ok('evaluate', 'match', '--checkpoint', run, '--pairs', pairs, '--json')), {
      pairs: 1,
      hit_ratio: 1,
      feature_match_recall: 1,
      correspondences: n,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseTransform: row-major rows; a wrong line count or a bad number names the file and line', () => {
  assert.deepEqual(
    Array.from(parseTransform('1 2 3 4\n5,6,7,8\n\n9 10 11 12\r\n0 0 0 1\n', 'T.txt')),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 1],
  );
  assert.throws(() => parseTransform('1 0 0 0\n0 1 0 0\n0 0 1 0\n', 'bad.txt'), {
    message: 'bad.txt: expected 4 lines of a 4×4 matrix, got 3',
  });
  assert.throws(() => parseTransform('1 0 0 0\n0 1 0 0\n\n0 0 1 x\n0 0 0 1', 'bad.txt'), {
    message: 'bad.txt:4: expected 4 numbers, got "0 0 1 x"',
  });
});
