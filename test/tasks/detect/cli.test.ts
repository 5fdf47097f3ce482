/**
 * The detection CLI contract: `finetune det` writes a run and prints its JSON summary,
 * `evaluate det --json` prints mAP25, mAP50 and per_class (percent), and bad input exits 1
 * with a `pointcontrast:` message naming the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeTinyDetConfig, writeTinyDetDataset } from './fixture.js';

const MAIN = new URL('../../../src/cli/main.ts', import.meta.url).pathname;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--backend', 'wasm', ...args], {
    encoding: 'utf8',
    env: { ...process.env, POINTCONTRAST_QUIET: '1' },
  });

test('finetune det → evaluate det --json; errors exit 1 with a message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-det-cli-'));
  const data = join(dir, 'data');
  writeTinyDetDataset(data);
  const config = writeTinyDetConfig(dir, data);
  const run = join(dir, 'run');
  const ft = cli(
    'finetune',
    'det',
    '--config',
    config,
    '--out',
    run,
    '--max-steps',
    '1',
    '--boxes-per-scene',
    '2',
    '--json',
  );
  assert.equal(ft.status, 0, ft.stderr);
  const summary = JSON.parse(ft.stdout.trim().split('\n').pop()!) as { run: string; steps: number };
  assert.equal(summary.steps, 1);
  assert.ok(existsSync(join(run, 'last', 'model.json')) && existsSync(join(run, 'labelled-boxes.json')));

  const ev = cli('evaluate', 'det', '--checkpoint', run, '--data', data, '--json');
  assert.equal(ev.status, 0, ev.stderr);
  const r = JSON.parse(ev.stdout) as {
    mAP25: number;
    mAP50: number;
    split: string;
    per_class: Record<string, { gt: number; ap25: number | null }>;
  };
  assert.equal(r.split, 'val');
  assert.ok(r.mAP25 >= 0 && r.mAP25 <= 100 && r.mAP50 >= 0 && r.mAP50 <= r.mAP25 + 1e-9);
  assert.equal(r.per_class.chair.gt, 1);
  assert.equal(r.per_class.bed.ap25, null);

  const bad = cli('evaluate', 'det', '--checkpoint', join(dir, 'missing'), '--data', data);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^pointcontrast: .*missing: not a checkpoint folder/m);

  // predict: a detector is not a segmentation model; as --det-checkpoint its boxes go into index.json
  const wrong = cli('predict', '--checkpoint', run, '--data', data, '--out', join(dir, 'p0'));
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /^pointcontrast: .*a detection checkpoint; give it as --det-checkpoint/m);
  const seg = join(dir, 'seg');
  const ftSeg = cli(
    'finetune',
    'seg',
    '--config',
    new URL('../../../configs/finetune/synthetic-seg.yaml', import.meta.url).pathname,
    '--set',
    `data.dir=${data}`,
    '--set',
    'data.valSplit=null',
    '--out',
    seg,
    '--max-steps',
    '1',
    '--json',
  );
  assert.equal(ftSeg.status, 0, ftSeg.stderr);
  const out = join(dir, 'pred');
  const pr = cli('predict', '--checkpoint', seg, '--det-checkpoint', run, '--data', data, '--out', out);
  assert.equal(pr.status, 0, pr.stderr);
  const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as {
    scenes: { boxes?: { gt?: unknown[]; pred?: { label: number; score: number; size: number[] }[] } }[];
  };
  assert.ok(index.scenes.length > 0);
  for (const sc of index.scenes) {
    assert.ok(sc.boxes?.gt && sc.boxes.gt.length > 0);
    assert.ok(Array.isArray(sc.boxes.pred));
    for (const b of sc.boxes.pred ?? []) {
      assert.ok(b.score >= 0.05 && b.score <= 1, `score ${b.score}`);
      assert.ok(b.size.every((v) => v > 0));
      assert.ok(Number.isInteger(b.label) && b.label >= 0);
    }
  }
});
