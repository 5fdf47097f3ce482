/**
 * The sweep behind the complement rule's values (docs/benchmarks.md, "A complement rule
 * calibrated on the training labels"): the rule of src/tasks/segment/complement.ts for every
 * (rate, minShare) given, with ABSENT classes named here (not derived from the labels, so that
 * a sweep can name the classes of every setting alike). Thresholds come from the TRAIN_DIR's
 * train-split labelled points, the IGNORE classes' labels unused (the classes the fine-tuning
 * held out). Prints JSON: the fine-tuned network's scores, the thresholds and each setting's scores.
 * Usage: npx tsx scripts/calibrated-complement.ts FINETUNED INIT TRAIN_DIR EVAL_DIR[:SPLIT] IGNORE,…|- ABSENT,… RATE,… MIN,…
 */
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { AbsentCalibration, complementPredict } from '../src/tasks/segment/complement.js';
import { ConfusionMatrix } from '../src/eval/confusion.js';
import { loadNetworkPair } from './two-networks.js';

const [finetuned, init, trainDir, evalDir, ignoreArg, absentArg, rateArg, minArg] = process.argv.slice(2);
if (!minArg)
  throw new Error(
    'usage: calibrated-complement.ts FINETUNED INIT TRAIN_DIR EVAL_DIR[:SPLIT] IGNORE,…|- ABSENT,… RATE,… MIN,…',
  );
const { ft, base, names, k, classIds, probs } = await loadNetworkPair(finetuned, init);
const ignore = new Set(classIds(ignoreArg));
const absent = classIds(absentArg);
const rates = rateArg.split(',').map(Number);
const mins = minArg.split(',').map(Number);

const calibration = new AbsentCalibration(absent, k);
const train = openPreparedDataset(trainDir);
for (const name of train.sceneNames('train')) {
  const { cloud } = train.readScene(name);
  calibration.add(probs(base, cloud), cloud.labels!, ignore);
}
const settings = rates.flatMap((rate) =>
  mins.map((minShare) => ({
    key: `r ${rate}, min ${minShare}`,
    thresholds: calibration.thresholds(rate),
    minShare,
    cm: new ConfusionMatrix(k),
  })),
);

const [evalPath, evalSplit] = evalDir.split(':');
const evalSet = openPreparedDataset(evalPath);
const ftCm = new ConfusionMatrix(k);
for (const name of evalSet.sceneNames(evalSplit)) {
  const { cloud } = evalSet.readScene(name);
  const f = probs(ft, cloud);
  const q = probs(base, cloud);
  const n = cloud.positions.length / 3;
  const top = new Int32Array(n);
  for (let i = 0; i < n; i++) for (let c = 1; c < k; c++) if (f[i * k + c] > f[i * k + top[i]]) top[i] = c;
  ftCm.add(cloud.labels!, top);
  for (const s of settings)
    s.cm.add(
      cloud.labels!,
      complementPredict(f, q, k, { absent, thresholds: s.thresholds, minShare: s.minShare }),
    );
}
const summary = (cm: ConfusionMatrix) => {
  const m = cm.metrics(names);
  return { mIoU: m.mIoU, per_class: m.per_class };
};
const result = {
  finetuned: summary(ftCm),
  thresholds: Object.fromEntries(
    rates.map((rate) => [
      String(rate),
      Object.fromEntries(absent.map((a, j) => [names[a], calibration.thresholds(rate)[j]])),
    ]),
  ),
  calibrated: Object.fromEntries(settings.map((s) => [s.key, summary(s.cm)])),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
