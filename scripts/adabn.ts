/**
 * Batch-norm recalibration (AdaBN, Li et al. 2016) of a segmentation checkpoint on unlabelled
 * scans: every weight kept, every batch norm's running mean and variance replaced by the average
 * of its batch statistics over whole-scene training-mode passes (each scene at R z-rotations).
 * Experiment of docs/benchmarks.md; score the output with `pointcontrast evaluate seg`.
 * Usage: npx tsx scripts/adabn.ts CHECKPOINT OUT ROTATIONS PREPARED_DIR[:split] …
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { loadModel } from '../src/train/load-model.js';
import { saveCheckpoint } from '../src/train/checkpoint.js';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { sceneInput } from '../src/tasks/segment/infer.js';
import { affineAbout, applyAffine, axisRotation } from '../src/core/affine.js';

const [ckpt, out, rotArg, ...sources] = process.argv.slice(2);
const rotations = Number(rotArg);
if (!sources.length || !(rotations >= 1))
  throw new Error('usage: adabn.ts CHECKPOINT OUT ROTATIONS DIR[:split] …');
await initBackend({});
const model = loadModel(ckpt);
let k = 0;
for (const src of sources) {
  const [dir, split] = src.split(':');
  const ds = openPreparedDataset(dir);
  for (const name of ds.sceneNames(split)) {
    const { cloud } = ds.readScene(name);
    for (let r = 0; r < rotations; r++) {
      const turn = affineAbout(axisRotation(2, (2 * Math.PI * r) / rotations), [0, 0, 0]);
      const pos = applyAffine(turn, cloud.positions);
      const input = sceneInput(cloud, pos, model);
      tf.tidy(() => {
        model.net.forward(input.tensor(), { training: true, bnMomentum: 1 / (k + 1) });
      });
      k++;
      process.stderr.write(`${name} r${r}: ${input.v.pointIndex.length} voxels\n`);
    }
  }
}
const weights = model.net.params.entries().map(([name, t]) => ({ name, tensor: t }));
const { createdAt: _c, format: _f, version: _v, ...meta } = model.meta;
await saveCheckpoint(out, meta, weights);
process.stdout.write(`${out}: batch norms recalibrated over ${k} passes\n`);
