/**
 * The complement ensemble of docs/benchmarks.md ("Keeping what the synthetic network knows, two
 * more ways"), not a shipped method: a fine-tuned network decides among the classes its training
 * labels have; its synthetic init, with its own input features, decides whether a point is one
 * of the ABSENT classes. Per point, with f the fine-tuned and q the init's softmax, the most likely
 * absent class a* wins when t·q(a*) > max over present c of f(c) · (1 − t·Σ_absent q), else the
 * best present class. Prints JSON: every point of the scenes scored for the fine-tuned network,
 * the init and each t.
 * Usage: npx tsx scripts/complement-ensemble.ts FINETUNED INIT PREPARED_DIR SPLIT|all ABSENT,… T,…
 */
import { initBackend } from '../src/backend/select.js';
import { loadModel, type LoadedModel } from '../src/train/load-model.js';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { pointProbabilities } from '../src/tasks/segment/infer.js';
import { ConfusionMatrix } from '../src/eval/confusion.js';
import type { PointCloud } from '../src/geometry/point-cloud.js';

const [finetuned, init, data, split, absentArg, tArg] = process.argv.slice(2);
if (!tArg)
  throw new Error('usage: complement-ensemble.ts FINETUNED INIT PREPARED_DIR SPLIT|all ABSENT,… T,…');
await initBackend({});
const ft = loadModel(finetuned);
const base = loadModel(init);
const names = ft.classes.map((c) => c.name);
const k = names.length;
const absent = new Set(
  absentArg.split(',').map((n) => {
    const i = names.indexOf(n);
    if (i < 0) throw new Error(`${absentArg}: no class '${n}' (classes: ${names.join(', ')})`);
    return i;
  }),
);
const ts = tArg.split(',').map(Number);
const probs = (m: LoadedModel, cloud: PointCloud) =>
  pointProbabilities(m.net, cloud, { voxelSize: m.voxelSize, features: m.features, numClasses: k });
const ds = openPreparedDataset(data);
const ftCm = new ConfusionMatrix(k);
const baseCm = new ConfusionMatrix(k);
const cms = ts.map(() => new ConfusionMatrix(k));
for (const name of ds.sceneNames(split === 'all' ? undefined : split)) {
  const { cloud } = ds.readScene(name);
  const f = probs(ft, cloud);
  const q = probs(base, cloud);
  const n = cloud.positions.length / 3;
  const argmax = (p: Float32Array, i: number) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    return best;
  };
  const predFt = new Int32Array(n);
  const predBase = new Int32Array(n);
  const preds = ts.map(() => new Int32Array(n));
  for (let i = 0; i < n; i++) {
    predFt[i] = argmax(f, i);
    predBase[i] = argmax(q, i);
    let present = -1;
    let absentBest = -1;
    let mass = 0;
    for (let c = 0; c < k; c++) {
      if (absent.has(c)) {
        mass += q[i * k + c];
        if (absentBest < 0 || q[i * k + c] > q[i * k + absentBest]) absentBest = c;
      } else if (present < 0 || f[i * k + c] > f[i * k + present]) present = c;
    }
    ts.forEach((t, j) => {
      const presentScore = f[i * k + present] * (1 - Math.min(1, t * mass));
      preds[j][i] = absentBest >= 0 && t * q[i * k + absentBest] > presentScore ? absentBest : present;
    });
  }
  ftCm.add(cloud.labels!, predFt);
  baseCm.add(cloud.labels!, predBase);
  preds.forEach((p, j) => cms[j].add(cloud.labels!, p));
}
const summary = (cm: ConfusionMatrix) => {
  const m = cm.metrics(names);
  return { mIoU: m.mIoU, per_class: m.per_class };
};
const result = {
  finetuned: summary(ftCm),
  init: summary(baseCm),
  complement: Object.fromEntries(ts.map((t, j) => [String(t), summary(cms[j])])),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
