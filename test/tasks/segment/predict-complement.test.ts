/**
 * `predict --complement` feeds each scan to two networks, each with its own input layout: a scan
 * that lacks what the answering network reads is refused with the file named, before anything is
 * written, while the same scan without --complement is predicted (the fine-tuned network reads
 * none of it). Checkpoints are untrained networks saved directly; the dataset they were "trained"
 * on is the tiny detection fixture (labelled points, colours).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildSegNetwork, segArchitectureSchema } from '../../../src/models/seg-model.js';
import { saveCheckpoint } from '../../../src/train/checkpoint.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { writePly } from '../../../src/data/formats/index.js';
import { writeTinyDetDataset } from '../detect/fixture.js';
import { useBackend } from '../../helpers/backends.js';
import { runCli as cli } from '../../helpers/cli.js';

test('predict --complement: a scan without what the answering network reads is refused, naming the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-predict-complement-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  writeTinyDetDataset(data, 2, 1);
  const ds = openPreparedDataset(data);
  const classes = ds.manifest.classes.map((c) => ({ id: c.id, name: c.name, color: c.color }));
  await useBackend('cpu');
  const arch = segArchitectureSchema.parse({
    backbone: 'Res16UNet14A-w4',
    inChannels: 3,
    outChannels: classes.length,
  });
  const save = async (path: string, features: string, seed: number, config: unknown) => {
    const seg = buildSegNetwork(arch, seed);
    await saveCheckpoint(
      path,
      {
        architecture: {
          task: 'segmentation',
          ...arch,
          voxelSize: 0.2,
          features,
          ignoreLabel: ds.manifest.ignoreLabel,
        },
        step: 0,
        config,
        classes,
      },
      seg.net.params.entries().map(([name, tensor]) => ({ name, tensor })),
    );
    seg.net.params.dispose();
  };
  // the answering network reads colour; the fine-tuned one reads constant ones, and its config
  // names the init and the labelled training scans the rule calibrates on
  const init = join(dir, 'init');
  await save(init, 'rgb', 1, {});
  const tuned = join(dir, 'tuned');
  await save(tuned, 'ones', 2, { init, data: { dir: data, trainSplit: 'train', pointsPerScene: null } });

  const { cloud } = ds.readScene(ds.sceneNames('val')[0]);
  const bare = join(dir, 'bare.ply');
  writeFileSync(bare, writePly({ positions: cloud.positions }));
  const coloured = join(dir, 'coloured.ply');
  writeFileSync(coloured, writePly({ positions: cloud.positions, colors: cloud.colors }));

  const refused = cli(
    'predict',
    '--checkpoint',
    tuned,
    '--input',
    bare,
    '--complement',
    '--out',
    join(dir, 'p1'),
  );
  assert.equal(refused.status, 1, refused.stderr);
  assert.match(
    refused.stderr,
    new RegExp(
      `pointcontrast: ${bare}: the network answering for the absent classes \\(${init}\\) takes 'rgb' input features but the file has no colour`,
    ),
  );
  assert.ok(!existsSync(join(dir, 'p1')) || readdirSync(join(dir, 'p1')).length === 0, 'nothing written');
  // the same scan without the rule: the fine-tuned network alone reads nothing of it
  const alone = cli('predict', '--checkpoint', tuned, '--input', bare, '--out', join(dir, 'p2'), '--json');
  assert.equal(alone.status, 0, alone.stderr);
  // with colour both networks read it
  const both = cli(
    'predict',
    '--checkpoint',
    tuned,
    '--input',
    coloured,
    '--complement',
    '--out',
    join(dir, 'p3'),
  );
  assert.equal(both.status, 0, both.stderr);
  assert.ok(existsSync(join(dir, 'p3', 'index.json')));
});
