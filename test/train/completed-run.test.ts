/**
 * Resuming a run that already reached its max steps: nothing to train; the summary is the run's
 * own record (the loss metrics.jsonl logged at the last checkpoint's step, the best validation of
 * its train state), and a run with steps left is not complete.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { saveCheckpoint } from '../../src/train/checkpoint.js';
import { RunDir } from '../../src/train/run-dir.js';
import { completedRunSummary, loggedLoss } from '../../src/train/completed-run.js';
import { useBackend } from '../helpers/backends.js';

async function runAt(step: number): Promise<RunDir> {
  await useBackend('cpu');
  const run = new RunDir(join(mkdtempSync(join(tmpdir(), 'pc-complete-')), 'run'));
  const w = tf.ones([2]);
  await saveCheckpoint(
    run.last,
    {
      architecture: { task: 'segmentation' },
      step,
      config: {},
      trainState: { best: 41.5, bestStep: 40, sinceBest: 1 },
    },
    [{ name: 'w', tensor: w }],
  );
  w.dispose();
  for (const r of [
    { step: 40, loss: 1.25 },
    { step: 40, validation: true, score: 41.5, mIoU: 41.5 },
    { step: 60, loss: 0.875, lr: 0.01 },
    { step: 60, validation: true, score: 39, mIoU: 39 },
  ])
    run.log(r);
  return run;
}

test('a run at its max steps is complete: the loss logged at that step, the best validation', async () => {
  const run = await runAt(60);
  const s = completedRunSummary(run, 60)!;
  assert.equal(s.alreadyComplete, true);
  assert.equal(s.steps, 60);
  assert.equal(s.finalLoss, 0.875);
  assert.equal(s.bestScore, 41.5);
  assert.equal(s.bestStep, 40);
  assert.equal(s.seconds, 0);
  assert.equal(completedRunSummary(run, 50)!.finalLoss, 0.875, 'past a lowered max steps too');
  assert.equal(completedRunSummary(run, 61), undefined, 'steps left: not complete');
});

test('no loss logged at the checkpoint step is an error naming metrics.jsonl', async () => {
  const run = await runAt(80);
  assert.throws(() => completedRunSummary(run, 80), /metrics\.jsonl: no training loss logged at step 80/);
  assert.equal(loggedLoss(run, 40), 1.25);
});
