/**
 * The complement rule (complement.ts) set up for a fine-tuned network: which classes its training
 * labels lack, the thresholds calibrated on its labelled training points with its synthetic-
 * supervised init, and the rule's per-point predictions. Used by `bench real-transfer --methods
 * complement`, `predict --complement` and `evaluate seg --complement`.
 */
import type { PointCloud } from '../../geometry/point-cloud.js';
import type { PreparedDataset } from '../../data/prepared/dataset.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { ConfusionMatrix } from '../../eval/confusion.js';
import { loadModel, type LoadedModel } from '../../train/load-model.js';
import {
  AbsentCalibration,
  COMPLEMENT_DEFAULTS,
  complementResult,
  type ComplementRule,
  type ComplementValues,
} from './complement.js';
import { modelInference, pointProbabilities } from './infer.js';
import type { SegConfig } from './schema.js';
import { readCheckpointMeta } from '../../train/checkpoint.js';
import { checkpointTask, classesNamed } from '../../models/checkpoint-model.js';
import { absentClasses, trainingHistogram } from './training-histogram.js';

/** What the rule needs beside the fine-tuned network. */
export interface ComplementSetup extends ComplementRule {
  /** The synthetic-supervised network that answers for the absent classes. */
  init: LoadedModel;
  absent: number[];
  thresholds: Float64Array;
  /**
   * Whether the thresholds were calibrated on test-time-augmented probabilities: the rule then
   * predicts with the same passes (averaged probabilities are flatter than single-pass ones, so
   * thresholds of one kind do not hold for the other).
   */
  tta: boolean;
}

/** True when the checkpoint at `path` can be the rule's init: a segmentation network of `names`. */
export function isSegNetworkOf(path: string, names: readonly string[]): boolean {
  const { meta } = readCheckpointMeta(path);
  return checkpointTask(meta) === 'segmentation' && classesNamed(meta.classes ?? [], names);
}

/** Loads `path` as the rule's init: a segmentation network predicting exactly `names`. */
export function loadComplementInit(path: string, names: readonly string[]): LoadedModel {
  let init: LoadedModel;
  try {
    init = loadModel(path);
  } catch (e) {
    throw new Error(`complement: its init ${path} is not a segmentation network (${(e as Error).message})`);
  }
  if (!init.classes.length) {
    init.net.params.dispose();
    throw new Error(
      `complement: its init ${path} predicts no classes (a pre-training checkpoint?); the rule needs a segmentation network of the same classes, e.g. synthetic-supervised (give its folder)`,
    );
  }
  if (!classesNamed(init.classes, names)) {
    init.net.params.dispose();
    throw new Error(
      `complement: its init ${path} predicts ${init.classes.map((c) => c.name).join(', ')}; the fine-tuned network ${names.join(', ')}`,
    );
  }
  return init;
}

/** The class probabilities of a network on every point of a cloud. */
function probabilities(m: LoadedModel, cloud: PointCloud, tta?: boolean): Float32Array {
  return pointProbabilities(m.net, cloud, modelInference(m, tta));
}

/**
 * Calibrates the rule on the labelled points of `train`'s scenes of `split` (labels of the
 * `heldOut` classes count as unlabelled, as `data.ignoreClasses` made them in training).
 */
export function calibrateComplement(
  init: LoadedModel,
  train: PreparedDataset,
  split: string,
  heldOut: readonly string[] = [],
  values: ComplementValues = COMPLEMENT_DEFAULTS,
  tta = false,
): ComplementSetup {
  const names = init.classes.map((c) => c.name);
  const k = names.length;
  const heldOutIds = heldOut.map((n) => names.indexOf(n));
  const scenes = train.sceneNames(split);
  // the classes the run's labels lack, as its training defined them (the manifest's histograms)
  const absent = absentClasses(trainingHistogram(train, scenes, heldOutIds));
  if (absent.length === k)
    throw new Error(`${train.dir}: split '${split}' has no labelled point to calibrate on`);
  const skip = new Set(heldOutIds);
  const calibration = new AbsentCalibration(absent, k);
  for (const name of scenes) {
    const { cloud } = train.readScene(name);
    if (cloud.labels) calibration.add(probabilities(init, cloud, tta), cloud.labels, skip);
  }
  const thresholds = calibration.thresholds(values.rate);
  return { init, absent, thresholds, minShare: values.minShare, tta };
}

/** How `complementFromCheckpoint` sets the rule up; each key has its default. */
export interface ComplementOptions {
  /** The network answering for the absent classes (default: the init the checkpoint was fine-tuned from). */
  init?: string;
  /** The rule's values (default COMPLEMENT_DEFAULTS). */
  values?: ComplementValues;
  /** Calibrate (and so predict) on test-time augmented passes (default false). */
  tta?: boolean;
}

/**
 * The rule for a fine-tuned checkpoint from its own record: the init it was fine-tuned from (or
 * `init`) and the labelled training scans of its config (data.dir, data.trainSplit,
 * data.ignoreClasses). Errors name what is missing.
 */
export function complementFromCheckpoint(
  model: LoadedModel,
  { init: initPath, values = COMPLEMENT_DEFAULTS, tta = false }: ComplementOptions = {},
): ComplementSetup {
  // the resolved fine-tuning config the checkpoint was written with (an older one may lack keys)
  type Recorded = Partial<Pick<SegConfig, 'init'>> & {
    data?: Partial<Pick<SegConfig['data'], 'dir' | 'trainSplit' | 'ignoreClasses' | 'pointsPerScene'>>;
  };
  const cfg = model.meta.config as Recorded | undefined;
  const data = cfg?.data;
  const init = initPath ?? cfg?.init ?? undefined;
  if (!init)
    throw new Error(
      `${model.dir}: was fine-tuned from scratch; --complement needs a synthetic-supervised network (give its folder)`,
    );
  if (!data?.dir || !data.trainSplit)
    throw new Error(
      `${model.dir}: its config names no training data (data.dir, data.trainSplit) to calibrate on`,
    );
  if (data.pointsPerScene != null)
    throw new Error(
      `${model.dir}: was fine-tuned on ${data.pointsPerScene} labelled points per scene; the complement rule calibrates on every label of the training scans`,
    );
  const names = model.classes.map((c) => c.name);
  const base = loadComplementInit(init, names);
  try {
    return calibrateComplement(
      base,
      openPreparedDataset(data.dir),
      data.trainSplit,
      data.ignoreClasses ?? [],
      values,
      tta,
    );
  } catch (e) {
    base.net.params.dispose();
    throw e;
  }
}

/**
 * The rule's prediction and confidence (the deciding network's probability) of every point, both
 * networks with the passes the thresholds were calibrated on (`setup.tta`).
 */
export function complementScene(
  model: LoadedModel,
  setup: ComplementSetup,
  cloud: PointCloud,
): { pred: Int32Array; confidence: Float32Array } {
  const k = model.classes.length;
  const f = probabilities(model, cloud, setup.tta);
  const q = probabilities(setup.init, cloud, setup.tta);
  return complementResult(f, q, k, setup);
}

/** Every original point of the named scenes of `ds` under the rule, in one confusion matrix. */
export function complementSplit(
  model: LoadedModel,
  setup: ComplementSetup,
  ds: PreparedDataset,
  names: readonly string[],
  onScene?: (done: number) => void,
): ConfusionMatrix {
  const points = new ConfusionMatrix(model.classes.length);
  names.forEach((name, i) => {
    const { cloud } = ds.readScene(name);
    if (!cloud.labels) throw new Error(`${ds.dir}: scene ${name} has no labels to evaluate against`);
    points.add(cloud.labels, complementScene(model, setup, cloud).pred);
    onScene?.(i + 1);
  });
  return points;
}
