/**
 * The detection CLI contract: `finetune det` writes a run and prints its JSON summary,
 * `evaluate det --json` prints mAP25, mAP50 and per_class (percent), and bad input exits 1
 * with a `pointcontrast:` message naming the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeTinyDetConfig, writeTinyDetDataset } from './finetune-det-fixture.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;
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
});
