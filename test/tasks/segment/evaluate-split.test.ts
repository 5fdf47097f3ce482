/**
 * Which scenes `evaluate seg`, `evaluate det` and `predict --data` take: the given --split, else
 * 'val' when the dataset has it, else every scene (said in the output); one rule for all. Checkpoints
 * are untrained networks saved directly; the dataset is the tiny detection fixture (labelled
 * points and boxes) without a val split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { architectureSchema } from '../../../src/models/build.js';
import { buildSegNetwork, segArchitectureSchema } from '../../../src/models/seg-model.js';
import { buildDetector } from '../../../src/models/heads/detector.js';
import { detHeadSchema } from '../../../src/models/heads/detection-head.js';
import type { Params } from '../../../src/models/params.js';
import { saveCheckpoint } from '../../../src/train/checkpoint.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { evaluationScenes } from '../../../src/data/selection.js';
import { detectionClasses } from '../../../src/tasks/detect/schema.js';
import { writeTinyDetDataset } from '../detect/fixture.js';
import { useBackend } from '../../helpers/backends.js';
import { runCli as cli } from '../../helpers/cli.js';

const weightsOf = (params: Params) => params.entries().map(([name, tensor]) => ({ name, tensor }));

test('evaluationScenes: the given split, else val, else every scene', () => {
  const ds = (splits: Record<string, string[]>) => ({
    dir: 'd',
    manifest: { splits },
    sceneNames: (split?: string) =>
      split === undefined ? Object.values(splits).flat() : (splits[split] ?? []),
  });
  const withVal = ds({ train: ['a', 'b'], val: ['c'] });
  assert.deepEqual(evaluationScenes(withVal), { split: 'val', names: ['c'], title: 'val' });
  assert.deepEqual(evaluationScenes(withVal, 'train'), { split: 'train', names: ['a', 'b'], title: 'train' });
  const noVal = evaluationScenes(ds({ train: ['a', 'b'] }));
  assert.deepEqual([noVal.split, noVal.names], [null, ['a', 'b']]);
  assert.match(noVal.title, /^all scenes \(the dataset has no 'val' split\)$/);
  assert.throws(() => evaluationScenes(ds({})), /^Error: d: no scenes$/);
});

test("evaluate seg and evaluate det without a 'val' split score every scene and say so", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-eval-split-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  writeTinyDetDataset(data, 3, 0);
  const ds = openPreparedDataset(data);
  assert.deepEqual(Object.keys(ds.manifest.splits), ['train']);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  const input = { voxelSize: 0.1, features: 'rgb' as const };
  const backbone = { backbone: 'Res16UNet14A-w4' as const, inChannels: 3 };

  await useBackend('cpu');
  const segArch = segArchitectureSchema.parse({ ...backbone, outChannels: classes.length });
  const seg = buildSegNetwork(segArch, 1);
  await saveCheckpoint(
    join(dir, 'seg'),
    {
      architecture: { task: 'segmentation', ...segArch, ...input, ignoreLabel: ds.manifest.ignoreLabel },
      step: 0,
      config: {},
      classes,
    },
    weightsOf(seg.net.params),
  );
  seg.net.params.dispose();
  const detArch = architectureSchema.parse({ ...backbone, outChannels: 1 });
  const head = detHeadSchema.parse({ hidden: 8, proposals: 8, nsample: 4 });
  const classIds = detectionClasses(ds.manifest.classes).map((c) => c.id);
  const det = buildDetector(detArch, head, classIds, input.voxelSize, 1);
  await saveCheckpoint(
    join(dir, 'det'),
    {
      architecture: { task: 'detection', ...detArch, head, classIds, ...input },
      step: 0,
      config: {},
      classes,
    },
    weightsOf(det.params),
  );
  det.params.dispose();

  const all = ds.sceneNames();
  for (const task of ['seg', 'det']) {
    const json = cli('evaluate', task, '--checkpoint', join(dir, task), '--data', data, '--json');
    assert.equal(json.status, 0, json.stderr);
    const r = JSON.parse(json.stdout) as { split: string | null; scenes?: number; boxes?: { gt: number } };
    assert.equal(r.split, null, `${task}: no split`);
    if (task === 'seg') assert.equal(r.scenes, all.length);
    else
      assert.equal(
        r.boxes!.gt,
        all.reduce((s, n) => s + ds.readScene(n).boxes.length, 0),
      );

    const text = cli('evaluate', task, '--checkpoint', join(dir, task), '--data', data);
    assert.equal(text.status, 0, text.stderr);
    assert.ok(
      text.stdout.includes(`all scenes (the dataset has no 'val' split): ${all.length} scenes`),
      `${task}:\n${text.stdout}`,
    );
  }
  // predict --data follows the same rule: every scene of a dataset without 'val'
  const preds = join(dir, 'preds');
  const pr = cli('predict', '--checkpoint', join(dir, 'seg'), '--data', data, '--out', preds, '--json');
  assert.equal(pr.status, 0, pr.stderr);
  const index = JSON.parse(readFileSync(join(preds, 'index.json'), 'utf8')) as { scenes: { name: string }[] };
  assert.deepEqual(index.scenes.map((s) => s.name).sort(), [...all].sort());
  const val = cli('evaluate', 'seg', '--checkpoint', join(dir, 'seg'), '--data', data, '--split', 'val');
  assert.equal(val.status, 1);
  assert.match(val.stderr, /^pointcontrast: .*no split 'val' \(splits: train\)/m);
});
