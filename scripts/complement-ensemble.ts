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
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { ConfusionMatrix } from '../src/eval/confusion.js';
import { discountedChoice, loadNetworkPair } from './two-networks.js';

const [finetuned, init, data, split, absentArg, tArg] = process.argv.slice(2);
if (!tArg)
  throw new Error('usage: complement-ensemble.ts FINETUNED INIT PREPARED_DIR SPLIT|all ABSENT,… T,…');
const { ft, base, names, k, classIds, probs } = await loadNetworkPair(finetuned, init);
const absent = new Set(classIds(absentArg));
const ts = tArg.split(',').map(Number);
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
    ts.forEach((t, j) => (preds[j][i] = discountedChoice(f, q, k, absent, i, t).pred));
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
