/**
 * The complement ensemble of scripts/complement-ensemble.ts with its discount replaced by one
 * threshold per absent class, set on the TRAINING scans' labelled points (docs/benchmarks.md,
 * "A complement ensemble calibrated on the training labels"); not a shipped method. Every
 * labelled training point is, by definition, one of the present classes, so the threshold τ_a of
 * absent class a is the (1 − r) quantile of the synthetic network's q(a) over those points: at most
 * a share r of them would be called a. On the scored scenes a point takes the synthetic network's
 * prediction a* when a* is absent and q(a*) ≥ τ_{a*}, else the fine-tuned network's best present
 * class; then an absent class given to fewer than a share MIN of the scene's points is taken back
 * (per-scene mIoU counts a class predicted on a handful of points as a whole class at 0 IoU).
 * Usage: npx tsx scripts/calibrated-complement.ts FINETUNED INIT TRAIN_DIR EVAL_DIR[:SPLIT] IGNORE,…|- ABSENT,… R,… MIN,…
 * (IGNORE: the classes the fine-tuning held out of the training labels, not used for calibration.)
 */
import { initBackend } from '../src/backend/select.js';
import { loadModel, type LoadedModel } from '../src/train/load-model.js';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { pointProbabilities } from '../src/tasks/segment/infer.js';
import { ConfusionMatrix } from '../src/eval/confusion.js';
import type { PointCloud } from '../src/geometry/point-cloud.js';

const [finetuned, init, trainDir, evalDir, ignoreArg, absentArg, rArg, minArg] = process.argv.slice(2);
if (!minArg)
  throw new Error(
    'usage: calibrated-complement.ts FINETUNED INIT TRAIN_DIR EVAL_DIR IGNORE,…|- ABSENT,… R,… MIN,…',
  );
await initBackend({});
const ft = loadModel(finetuned);
const base = loadModel(init);
const names = ft.classes.map((c) => c.name);
const k = names.length;
const classIds = (list: string) =>
  list === '-'
    ? []
    : list.split(',').map((n) => {
        const i = names.indexOf(n);
        if (i < 0) throw new Error(`${list}: no class '${n}' (classes: ${names.join(', ')})`);
        return i;
      });
const ignore = new Set(classIds(ignoreArg));
const absent = classIds(absentArg);
const rs = rArg.split(',').map(Number);
const mins = minArg.split(',').map(Number);
const settings = rs.flatMap((r, ri) => mins.map((min) => ({ r, ri, min, key: `r ${r}, min ${min}` })));
const probs = (m: LoadedModel, cloud: PointCloud) =>
  pointProbabilities(m.net, cloud, { voxelSize: m.voxelSize, features: m.features, numClasses: k });

// calibration: q(a) over the training scans' labelled points of present classes
const scores: number[][] = absent.map(() => []);
const train = openPreparedDataset(trainDir);
for (const name of train.sceneNames('train')) {
  const { cloud } = train.readScene(name);
  const q = probs(base, cloud);
  const labels = cloud.labels!;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || ignore.has(labels[i])) continue;
    absent.forEach((a, j) => scores[j].push(q[i * k + a]));
  }
}
const thresholds = rs.map((r) =>
  scores.map((s) => {
    const sorted = Float64Array.from(s).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor((1 - r) * sorted.length))];
  }),
);

const [evalPath, evalSplit] = evalDir.split(':');
const evalSet = openPreparedDataset(evalPath);
const ftCm = new ConfusionMatrix(k);
const cms = settings.map(() => new ConfusionMatrix(k));
const absentIndex = new Int32Array(k).fill(-1);
absent.forEach((a, j) => (absentIndex[a] = j));
for (const name of evalSet.sceneNames(evalSplit)) {
  const { cloud } = evalSet.readScene(name);
  const f = probs(ft, cloud);
  const q = probs(base, cloud);
  const n = cloud.positions.length / 3;
  const predFt = new Int32Array(n);
  const present = new Int32Array(n);
  const synth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let p = -1;
    let top = 0;
    let s = 0;
    for (let c = 0; c < k; c++) {
      if (f[i * k + c] > f[i * k + top]) top = c;
      if (absentIndex[c] < 0 && (p < 0 || f[i * k + c] > f[i * k + p])) p = c;
      if (q[i * k + c] > q[i * k + s]) s = c;
    }
    predFt[i] = top;
    present[i] = p;
    synth[i] = s;
  }
  ftCm.add(cloud.labels!, predFt);
  settings.forEach(({ ri, min }, m) => {
    const pred = new Int32Array(n);
    const count = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const j = absentIndex[synth[i]];
      pred[i] = j >= 0 && q[i * k + synth[i]] >= thresholds[ri][j] ? synth[i] : present[i];
      count[pred[i]]++;
    }
    for (let i = 0; i < n; i++)
      if (absentIndex[pred[i]] >= 0 && count[pred[i]] < min * n) pred[i] = present[i];
    cms[m].add(cloud.labels!, pred);
  });
}
const summary = (cm: ConfusionMatrix) => {
  const m = cm.metrics(names);
  return { mIoU: m.mIoU, per_class: m.per_class };
};
const result = {
  finetuned: summary(ftCm),
  thresholds: Object.fromEntries(
    rs.map((r, m) => [String(r), Object.fromEntries(absent.map((a, j) => [names[a], thresholds[m][j]]))]),
  ),
  calibrated: Object.fromEntries(settings.map(({ key }, m) => [key, summary(cms[m])])),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
