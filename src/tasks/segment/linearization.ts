/**
 * `evaluate linearization` of a fine-tuning run: the finite-difference linearisation error and
 * argmax agreement (eval/linearization.ts) of its last checkpoint θ_T against its
 * initialisation θ₀ (`checkpoints/step-0/`, written when the run started), on the per-voxel
 * logits of held-out scenes in inference mode. Every variable is interpolated (BN running
 * statistics and LoRA factors included; LoRA is not merged).
 */
import * as tf from '@tensorflow/tfjs';
import {
  checkpointMetaFile,
  hasCheckpoint,
  lastCheckpointDir,
  loadCheckpoint,
  readCheckpointMeta,
  stepCheckpointDir,
} from '../../train/checkpoint.js';
import { checkpointTask, modelSpec } from '../../models/checkpoint-model.js';
import { buildSegNetwork } from '../../models/seg-model.js';
import { linearizationFromOutputs, setInterpolated } from '../../eval/linearization.js';
import { openPreparedDataset } from '../../data/prepared/dataset.js';
import { evaluationScenes } from '../../data/selection.js';
import { sceneVoxels, sparseBatch, type SceneVoxels } from './methods/inputs.js';

export interface LinearizationOptions {
  /** The run folder. */
  run: string;
  /** Prepared dataset (default: the run's data.dir). */
  data?: string;
  /** Split to measure on (default: 'val' if the dataset has it, else every scene). */
  split?: string;
  /** ε values, keyed in the result by their text. */
  eps: { key: string; value: number }[];
  maxVoxels: number;
}

export interface LinearizationReport {
  run: string;
  /** What was measured: the split, or every scene of a dataset without 'val'. */
  split: string;
  relError: Record<string, number>;
  argmaxAgreement: Record<string, number>;
  /** ‖f(θ_T) − f(θ₀)‖ / √voxels. */
  deltaRms: number;
  voxels: number;
}

/** The run's network and input, and the data folder its config names, from its last checkpoint. */
function runModel(run: string) {
  const last = lastCheckpointDir(run);
  const { dir, meta } = readCheckpointMeta(last);
  const task = checkpointTask(meta);
  if (task !== 'segmentation') throw new Error(`${last}: a ${task} checkpoint, not a segmentation run`);
  const spec = modelSpec(meta, checkpointMetaFile(dir));
  const config = meta.config as { data?: { dir?: unknown } } | null | undefined;
  const dataDir = typeof config?.data?.dir === 'string' ? config.data.dir : undefined;
  return { spec, dataDir };
}

/** Logits [rows×K] of the first `max` voxels of `scenes` (one pass per scene). */
function logitsOf(forward: (s: SceneVoxels) => Float32Array, scenes: SceneVoxels[], k: number, max: number) {
  const out = new Float32Array(
    Math.min(
      max,
      scenes.reduce((a, s) => a + s.labels.length, 0),
    ) * k,
  );
  let r = 0;
  for (const s of scenes) {
    if (r * k >= out.length) break;
    const f = forward(s);
    const take = Math.min(f.length, out.length - r * k);
    out.set(f.subarray(0, take), r * k);
    r += take / k;
  }
  return out;
}

/** Measures a run's linearisation error at each ε. */
export function runLinearization(o: LinearizationOptions): LinearizationReport {
  const step0 = stepCheckpointDir(o.run, 0);
  if (!hasCheckpoint(step0))
    throw new Error(
      `${o.run}: no checkpoints/step-0/ (θ₀ is written when a fine-tuning run starts; this run predates it or is not a fine-tuning run)`,
    );
  const { spec, dataDir: runData } = runModel(o.run);
  const arch = spec.architecture;
  const dataDir = o.data ?? runData;
  if (!dataDir) throw new Error(`${o.run}: the run records no data.dir; give --data`);
  const ds = openPreparedDataset(dataDir);
  const { names, title } = evaluationScenes(ds, o.split);
  const scenes: SceneVoxels[] = [];
  let rows = 0;
  for (const name of names) {
    if (rows >= o.maxVoxels) break;
    const s = sceneVoxels(ds, name, spec.voxelSize, spec.features);
    scenes.push(s);
    rows += s.labels.length;
  }
  const model = buildSegNetwork(arch);
  const params = model.net.params;
  const ck0 = loadCheckpoint(step0);
  const ckT = loadCheckpoint(lastCheckpointDir(o.run));
  try {
    const vars = params.entries();
    const pick = (w: Map<string, tf.Tensor>, dir: string) =>
      vars.map(([n]) => {
        const t = w.get(n);
        if (!t) throw new Error(`${dir}: checkpoint lacks parameter ${n}`);
        return t;
      });
    const theta0 = pick(ck0.weights, ck0.dir);
    const thetaT = pick(ckT.weights, ckT.dir);
    const k = arch.head?.classes ?? arch.outChannels;
    const forward = (s: SceneVoxels) =>
      tf.tidy(() =>
        model.net.forward(sparseBatch(s), { training: false }).features.dataSync(),
      ) as Float32Array;
    const at = (t: number) => {
      setInterpolated(
        vars.map(([, v]) => v),
        theta0,
        thetaT,
        t,
      );
      return logitsOf(forward, scenes, k, o.maxVoxels);
    };
    const f0 = at(0);
    const fT = at(1);
    const report: LinearizationReport = {
      run: o.run,
      split: title,
      relError: {},
      argmaxAgreement: {},
      deltaRms: 0,
      voxels: f0.length / k,
    };
    for (const e of o.eps) {
      const r = linearizationFromOutputs(f0, at(e.value), fT, e.value, k);
      report.relError[e.key] = r.relError;
      report.argmaxAgreement[e.key] = r.argmaxAgreement;
      report.deltaRms = r.deltaRms;
    }
    return report;
  } finally {
    tf.dispose([...ck0.weights.values(), ...ckT.weights.values()]);
    params.dispose();
  }
}
