/**
 * Checkpoints: save → load round trip of weights (tfjs weights-manifest format), metadata and
 * optimizer state; run-folder resolution (best/, then last/); a truncated weights file is an error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, truncateSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadCheckpoint, resolveCheckpointDir, saveCheckpoint } from '../../src/train/checkpoint.js';
import { useBackend } from '../helpers/backends.js';

test('checkpoint round trip, run-folder resolution, corrupt weights', async () => {
  await useBackend('cpu');
  const run = mkdtempSync(join(tmpdir(), 'pc-ck-'));
  const weights = [
    { name: 'a.weight', tensor: tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]) },
    { name: 'bn.moving_mean', tensor: tf.tensor1d([0.5, -0.5]) },
  ];
  const meta = {
    architecture: { backbone: 'x' },
    step: 7,
    config: { a: 1 },
    trainState: { loader: { epoch: 1, batch: 2 } },
  };
  await saveCheckpoint(join(run, 'last'), meta, weights, [{ name: 'step', tensor: tf.scalar(7, 'int32') }]);
  await saveCheckpoint(join(run, 'last'), { ...meta, step: 8 }, weights); // replaces atomically
  assert.equal(resolveCheckpointDir(run), join(run, 'last'));
  const ck = loadCheckpoint(run, true);
  assert.equal(ck.meta.step, 8);
  assert.deepEqual(ck.meta.trainState, { loader: { epoch: 1, batch: 2 } });
  assert.deepEqual(Array.from(ck.weights.get('a.weight')!.dataSync()), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(ck.weights.get('a.weight')!.shape, [2, 2, 2]);
  assert.equal(ck.optimizer, undefined);
  const json = JSON.parse(readFileSync(join(run, 'last', 'model.json'), 'utf8'));
  assert.equal(json.weightsManifest[0].paths[0], 'weights.bin');
  await saveCheckpoint(join(run, 'best'), meta, weights);
  assert.equal(resolveCheckpointDir(run), join(run, 'best'));
  assert.ok(!existsSync(join(run, '.last.tmp-' + process.pid)));
  truncateSync(join(run, 'best', 'weights.bin'), 10);
  assert.throws(() => loadCheckpoint(run), /weights\.bin: 10 bytes, the manifest describes 40/);
  assert.throws(() => resolveCheckpointDir(join(run, 'nope')), /not a checkpoint folder/);
});
