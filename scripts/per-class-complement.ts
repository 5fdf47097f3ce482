/**
 * The per-class calibration tried for the complement rule (docs/benchmarks.md, "A third height
 * network"), not a shipped method: τ_a is the largest over the labelled classes c of the
 * (1 − rate) quantile of the answering network's q(a) among c's training points, so no labelled
 * class loses more than `rate` of its points to an absent class; the product pools every labelled
 * point. Both are applied to the same networks: the pooled setup is the product's own
 * (calibrateComplement, complementSplit: its figures equal `evaluate seg --complement INIT`), the
 * per-class one only replaces its thresholds. The training scans are those of the fine-tuned
 * checkpoint's config. Prints JSON: the absent classes, both thresholds, and each one's mIoU,
 * per-class IoU and the held-out classes' mean IoU.
 * Usage: npx tsx scripts/per-class-complement.ts FINETUNED INIT EVAL_DIR SPLIT|all HELD_OUT,…|-
 */
import { initBackend } from '../src/backend/select.js';
import { openPreparedDataset } from '../src/data/prepared/dataset.js';
import { AbsentCalibration, COMPLEMENT_DEFAULTS } from '../src/tasks/segment/complement.js';
import {
  calibrateComplement,
  complementSplit,
  loadComplementInit,
} from '../src/tasks/segment/complement-setup.js';
import { modelInference, pointProbabilities } from '../src/tasks/segment/infer.js';
import { loadModel } from '../src/train/load-model.js';

const [finetuned, initPath, evalDir, split, heldOutArg] = process.argv.slice(2);
if (!heldOutArg)
  throw new Error('usage: per-class-complement.ts FINETUNED INIT EVAL_DIR SPLIT|all HELD_OUT,…|-');
const heldOut = heldOutArg === '-' ? [] : heldOutArg.split(',');
await initBackend({ backend: 'wasm' });
const model = loadModel(finetuned);
const names = model.classes.map((c) => c.name);
const k = names.length;
const init = loadComplementInit(initPath, names);
const train = openPreparedDataset((model.meta.config as { data: { dir: string } }).data.dir);
const pooled = calibrateComplement(init, train, 'train', heldOut);

// one calibration per class the training labels may have: every other class skipped
const classes = Array.from({ length: k }, (_, c) => c);
const heldOutIds = new Set(heldOut.map((n) => names.indexOf(n)));
const perClass = classes
  .filter((c) => !heldOutIds.has(c))
  .map((c) => ({
    calibration: new AbsentCalibration(pooled.absent, k),
    skip: new Set(classes.filter((o) => o !== c)),
  }));
for (const name of train.sceneNames('train')) {
  const { cloud } = train.readScene(name);
  if (!cloud.labels) continue;
  const q = pointProbabilities(init.net, cloud, modelInference(init));
  for (const { calibration, skip } of perClass) calibration.add(q, cloud.labels, skip);
}
// a class without labelled points gives +∞: it does not count
const thresholds = Float64Array.from(pooled.absent, (_, j) => {
  const finite = perClass
    .map(({ calibration }) => calibration.thresholds(COMPLEMENT_DEFAULTS.rate)[j])
    .filter(Number.isFinite);
  return finite.length ? Math.max(...finite) : Infinity;
});

const ds = openPreparedDataset(evalDir);
const scenes = ds.sceneNames(split === 'all' ? undefined : split);
const score = (setup: typeof pooled) => {
  const m = complementSplit(model, setup, ds, scenes).metrics(names);
  const iou = m.per_class as Record<string, number | null>;
  const heldOutIoU = heldOut.length ? heldOut.reduce((s, c) => s + (iou[c] ?? 0), 0) / heldOut.length : null;
  return { mIoU: m.mIoU, heldOutIoU, perClassIoU: iou };
};
console.log(
  JSON.stringify({
    absent: pooled.absent.map((a) => names[a]),
    thresholds: { pooled: [...pooled.thresholds], perClass: [...thresholds] },
    pooled: score(pooled),
    perClass: score({ ...pooled, thresholds }),
  }),
);
model.net.params.dispose();
init.net.params.dispose();
