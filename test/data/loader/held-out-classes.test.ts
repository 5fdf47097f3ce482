/**
 * Classes held out of the training labels (`data.ignoreClasses`): the prepared source drops their
 * labels and nothing else (mixed rooms keep theirs), the K labelled points of a budget are drawn
 * among the other classes, the passes methods make outside the batches drop them too, and the
 * config's names reach the loader spec as train ids, an unknown name being an error that names it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { preparedSource } from '../../../src/data/loader/prepared-source.js';
import { openPreparedDataset } from '../../../src/data/prepared/dataset.js';
import { sourceSpecSchema } from '../../../src/data/loader/sources.js';
import { trainingSelection } from '../../../src/data/selection.js';
import { dropLabels, trainIdsOfNames } from '../../../src/data/label-map.js';
import { sceneVoxels } from '../../../src/tasks/segment/methods/inputs.js';
import { resolveSegConfig } from '../../../src/tasks/segment/schema.js';
import { selectTraining, trainingSource } from '../../../src/tasks/segment/source.js';
import { RunDir } from '../../../src/train/run-dir.js';
import { writeTinyDatasets } from '../../tasks/detect/fixture.js';

const CHAIR = 4;
const TABLE = 6;

function tinyDataset(): { dir: string; a: string; b: string } {
  const { dir, dirs } = writeTinyDatasets('pc-heldout-', [2, 0], [2, 0]);
  return { dir, a: dirs[0], b: dirs[1] };
}

test('prepared source ignoreClasses: exactly the held-out labels become ignore; a mixed room keeps its own', () => {
  const { a, b } = tinyDataset();
  const ds = openPreparedDataset(a);
  const raw = ds.readScene('tiny_0').cloud.labels!;
  assert.ok(raw.includes(CHAIR) && raw.includes(TABLE), 'the fixture has chairs and tables');
  const ignore = ds.manifest.ignoreLabel;
  const got = (
    preparedSource({ dir: a, ignoreClasses: [CHAIR, TABLE] }).read(0) as { cloud: { labels: Int32Array } }
  ).cloud.labels;
  assert.equal(got.length, raw.length);
  for (let i = 0; i < raw.length; i++)
    assert.equal(got[i], raw[i] === CHAIR || raw[i] === TABLE ? ignore : raw[i], `point ${i}`);
  // with a room mixed in at p = 1, the room's chairs and tables keep their labels
  const mixed = preparedSource({
    dir: a,
    ignoreClasses: [CHAIR],
    mix: { dir: b, split: 'train', p: 1, placement: 'beside', seed: 3 },
  }).read(0) as { name: string; cloud: { labels: Int32Array } };
  const room = openPreparedDataset(b).readScene(mixed.name.split('+')[1]).cloud.labels!;
  assert.ok(
    !mixed.cloud.labels.subarray(0, raw.length).includes(CHAIR),
    'no chair label in the held-out room',
  );
  assert.deepEqual(Array.from(mixed.cloud.labels.subarray(raw.length)), Array.from(room));
  assert.ok(room.includes(CHAIR));
});

test('trainingSelection with held-out classes: the K points are drawn among the other classes, and recorded', () => {
  const { dir, a } = tinyDataset();
  const data = { dir: a, trainSplit: 'train', scenesFraction: 1, scenesOffset: 0, pointsPerScene: 50 };
  const sel = trainingSelection(data, 5, dir, { ignoreClasses: [CHAIR, TABLE] });
  assert.deepEqual(sel.ignoreClasses, [CHAIR, TABLE]);
  const ds = openPreparedDataset(a);
  const chosen = (
    preparedSource({ dir: a, keepPoints: sel.keepPoints }).read(0) as {
      cloud: { labels: Int32Array };
    }
  ).cloud.labels;
  const labelled = chosen.filter((l) => l >= 0);
  assert.equal(labelled.length, 50, 'all K points kept (none lost to a held-out class)');
  assert.ok(!labelled.includes(CHAIR) && !labelled.includes(TABLE));
  // without held-out classes the selection records none
  assert.equal(trainingSelection({ ...data, pointsPerScene: null }, 5, dir).ignoreClasses, undefined);
  // the passes outside the batches (prototype imprinting, neuron groups) drop them as well
  const v = sceneVoxels(ds, 'tiny_0', 0.1, 'ones', undefined, [CHAIR]);
  assert.ok(!v.labels.includes(CHAIR) && v.labels.includes(TABLE));
});

test('data.ignoreClasses: names → train ids in the loader spec; an unknown name names the key and the classes', () => {
  const { dir, a } = tinyDataset();
  // the one label-dropping helper every pass uses: ignored and out-of-range labels stay as they are
  const labels = Int32Array.from([0, 4, -1, 6, 25, 4]);
  assert.deepEqual(Array.from(dropLabels(labels, [4, 6], -1)), [0, -1, -1, -1, 25, -1]);
  assert.equal(dropLabels(labels, [], -1), labels);
  assert.deepEqual(
    trainIdsOfNames(
      [
        { id: 0, name: 'wall' },
        { id: 3, name: 'bed' },
      ],
      ['bed'],
      'k',
    ),
    [3],
  );
  const cfgFile = 'configs/finetune/real-transfer.yaml';
  const cfg = resolveSegConfig(cfgFile, [`data.dir=${a}`, 'data.ignoreClasses=["table","chair"]']);
  const run = new RunDir(join(dir, 'run'));
  const sel = selectTraining(cfg, run);
  const spec = sourceSpecSchema.parse(trainingSource(cfg, sel)) as { ignoreClasses?: number[] };
  assert.deepEqual(spec.ignoreClasses, [TABLE, CHAIR]);
  const none = resolveSegConfig(cfgFile, [`data.dir=${a}`]);
  assert.equal(
    (trainingSource(none, selectTraining(none, run)) as { ignoreClasses?: number[] }).ignoreClasses,
    undefined,
  );
  const bad = resolveSegConfig(cfgFile, [`data.dir=${a}`, 'data.ignoreClasses=["chiar"]']);
  assert.throws(
    () => selectTraining(bad, run),
    /data\.ignoreClasses \(.*a\): unknown class 'chiar' \(expected some of wall, floor, .*chair/,
  );
});
