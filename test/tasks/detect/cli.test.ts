/**
 * The detection CLI contract: `finetune det` writes a run and prints its JSON summary,
 * `evaluate det --json` prints mAP25, mAP50 and per_class (percent), and bad input exits 1
 * with a `pointcontrast:` message naming the problem.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeTinyDetConfig, writeTinyDetDataset } from './fixture.js';
import { referenceAP } from './ap-oracle.js';
import { detectScene, evaluateDetSplit, loadDetector } from '../../../src/tasks/detect/infer.js';
import { VIEW_DECODE } from '../../../src/models/heads/decode.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { useBackend } from '../../helpers/backends.js';
import { runCli as cli } from '../../helpers/cli.js';

test('finetune det → evaluate det --json; errors exit 1 with a message', async () => {
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
    per_class: Record<string, { id: number; gt: number; ap25: number | null; ap50: number | null }>;
  };
  assert.equal(r.split, 'val');
  assert.equal(r.per_class.chair.gt, 1);
  assert.equal(r.per_class.bed.ap25, null);
  // the printed APs (percent, two decimals) are an independent VOC AP over the boxes the saved
  // detector finds on the same scenes, on non-empty inputs
  await useBackend('wasm');
  const m = loadDetector(run);
  const ds = openPreparedDataset(data);
  const names = ds.sceneNames('val');
  const own = evaluateDetSplit(m.det, ds, names, m.features);
  const scenes = names.map((n, i) => ({ gt: ds.readScene(n).boxes, pred: own.scenes[i].boxes }));
  assert.ok(scenes.length > 0 && scenes.every((s) => s.gt.length > 0 && s.pred.length > 0));
  const pct = (v: number | null) => (v === null ? null : +(100 * v).toFixed(2));
  const aps: Record<'ap25' | 'ap50', number[]> = { ap25: [], ap50: [] };
  for (const [name, c] of Object.entries(r.per_class)) {
    for (const [key, t] of [
      ['ap25', 0.25],
      ['ap50', 0.5],
    ] as const) {
      const want = referenceAP(scenes, c.id, t);
      assert.equal(c[key], pct(want), `${name} ${key}`);
      if (want !== null) aps[key].push(want);
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  assert.equal(r.mAP25, pct(mean(aps.ap25)));
  assert.equal(r.mAP50, pct(mean(aps.ap50)));

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
    scenes: {
      name: string;
      boxes?: { gt?: unknown[]; pred?: { label: number; score: number; size: number[] }[] };
    }[];
  };
  assert.ok(index.scenes.length > 0);
  // the written boxes are the detector's at the viewer's decoding: of its boxes before the score
  // cut (greedy NMS never lets a lower score suppress a higher one), those scoring ≥ 0.05
  let found = 0;
  for (const sc of index.scenes) {
    assert.ok(sc.boxes?.gt && sc.boxes.gt.length > 0, `${sc.name}: ground-truth boxes`);
    const all = detectScene(
      m.det,
      ds.readScene(sc.name).cloud,
      m.features,
      { ...VIEW_DECODE, minScore: 0 },
      sc.name,
    );
    found += all.length;
    for (const b of all) {
      assert.ok(b.score >= 0 && b.score <= 1, `score ${b.score}`);
      assert.ok(b.size.every((v) => v > 0));
      assert.ok(Number.isInteger(b.label) && b.label >= 0);
    }
    const key = (b: { label: number; score: number }) => [b.label, Math.round(b.score * 1e5)];
    assert.deepEqual(
      sc.boxes.pred?.map(key),
      all.filter((b) => b.score >= VIEW_DECODE.minScore).map(key),
      `${sc.name}: written boxes`,
    );
  }
  assert.ok(found > 0, 'the detector proposes boxes');
  m.det.params.dispose();
});
