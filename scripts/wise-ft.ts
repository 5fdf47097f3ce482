/**
 * Weight interpolation between a fine-tuned segmentation checkpoint and the network it started
 * from (WiSE-FT): θ = α·θ_ft + (1 − α)·θ_init for every parameter and batch-norm statistic, the
 * init loaded as fine-tuning loads it (its stem adapted to extra input channels). The experiment
 * of docs/benchmarks.md "Keeping what the synthetic network knows, two more ways"; not a shipped
 * method. Score the output with `pointcontrast evaluate seg`.
 * Usage: npx tsx scripts/wise-ft.ts FINETUNED INIT ALPHA OUT
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { loadModel } from '../src/train/load-model.js';
import { loadBackbone } from '../src/train/init.js';
import { saveCheckpoint } from '../src/train/checkpoint.js';

const [finetuned, init, alphaArg, out] = process.argv.slice(2);
const alpha = Number(alphaArg);
if (!out || !(alpha >= 0 && alpha <= 1)) throw new Error('usage: wise-ft.ts FINETUNED INIT ALPHA(0..1) OUT');
await initBackend({});
const model = loadModel(finetuned);
const params = model.net.params;
const tuned = new Map(params.entries().map(([name, v]) => [name, tf.clone(v)]));
// the init's weights, over the fine-tuned ones, as `finetune --init` would load them
const report = loadBackbone(params, init, [], model.features);
const loaded = new Set(report.loaded);
const weights = params.entries().map(([name, v]) => ({
  name,
  tensor: loaded.has(name)
    ? tf.tidy(() =>
        tuned
          .get(name)!
          .mul(alpha)
          .add(v.mul(1 - alpha)),
      )
    : tuned.get(name)!,
}));
const { createdAt: _created, format: _format, version: _version, ...meta } = model.meta;
await saveCheckpoint(out, meta, weights);
process.stdout.write(`${out}: α ${alpha}, ${loaded.size} of ${weights.length} tensors mixed\n`);
