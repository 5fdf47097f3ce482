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
    const n = cloud.positions.length / 3;
    for (let r = 0; r < rotations; r++) {
      const a = (2 * Math.PI * r) / rotations;
      const c = Math.cos(a);
      const s = Math.sin(a);
      const pos = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const x = cloud.positions[i * 3];
        const y = cloud.positions[i * 3 + 1];
        pos[i * 3] = c * x - s * y;
        pos[i * 3 + 1] = s * x + c * y;
        pos[i * 3 + 2] = cloud.positions[i * 3 + 2];
      }
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
