/**
 * A segmentation checkpoint as the viewer loads it over HTTP: `manifest.json` (what the page needs
 * before downloading weights: task, voxel size, input features, classes, sizes), `model.json` (the
 * checkpoint's TensorFlow.js weights manifest without training state) and `weights.bin`. Served
 * under /model/ by `view`, or written to a folder by `export` for any static server.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import { checkpointTask, modelSpec } from '../models/checkpoint-model.js';
import { WEB_MODEL_FORMAT, type WebModelManifest } from '../models/web-model-manifest.js';
import { MODEL_JSON, readModelJson, type ModelJson } from '../train/checkpoint.js';

/** A checkpoint resolved for serving: the two JSON bodies and the weight files by name. */
export interface WebModel {
  dir: string;
  manifest: WebModelManifest;
  /** The checkpoint's meta and weights manifest without training state or config. */
  modelJson: ModelJson;
  /** Weight file name (as the weights manifest lists it) → absolute path. */
  files: Map<string, string>;
}

/** Reads a segmentation checkpoint (or run folder) for the browser; throws a clear Error otherwise. */
export function readWebModel(checkpoint: string): WebModel {
  const ck = readModelJson(checkpoint);
  const { meta, file } = ck;
  const dir = resolve(ck.dir);
  const task = checkpointTask(meta);
  if (task !== 'segmentation')
    throw new Error(
      `${dir}: not a segmentation checkpoint (its task is '${task}'); the viewer segments with a model from finetune seg`,
    );
  const spec = modelSpec(meta, file);
  if (!spec.classes.length) throw new Error(`${file}: no classes (not a segmentation model)`);
  const groups = ck.weightsManifest;
  const files = new Map<string, string>();
  let weightsBytes = 0;
  for (const g of groups) {
    for (const p of g.paths) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p))
        throw new Error(`${file}: weight file '${p}' is not a plain file name`);
      const abs = join(dir, p);
      if (!existsSync(abs)) throw new Error(`${abs}: missing (listed in ${file})`);
      files.set(p, abs);
      weightsBytes += statSync(abs).size;
    }
  }
  // Training state and the resolved config (which holds local paths) stay on the machine.
  const modelJson: ModelJson = {
    format: meta.format,
    version: meta.version,
    architecture: meta.architecture,
    step: meta.step,
    config: null,
    classes: meta.classes,
    metrics: meta.metrics,
    createdAt: meta.createdAt,
    weightsManifest: groups,
  };
  const manifest: WebModelManifest = {
    format: WEB_MODEL_FORMAT,
    version: 1,
    model: MODEL_JSON,
    source: { checkpoint: basename(dir), step: meta.step },
    task: 'segmentation',
    backbone: String(spec.architecture.backbone),
    voxelSize: spec.voxelSize,
    features: spec.features,
    classes: spec.classes,
    ignoreLabel: spec.ignoreLabel,
    weightsBytes,
  };
  return { dir, manifest, modelJson, files };
}

/**
 * Writes manifest.json, model.json and the weight files into `out` (created; files replaced
 * atomically, manifest.json last so a reader never sees a manifest without its weights).
 */
export function exportWebModel(checkpoint: string, out: string): WebModel {
  const m = readWebModel(checkpoint);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new Error(`${out}: exists and is not a folder`);
  mkdirSync(out, { recursive: true });
  for (const [name, abs] of m.files) writeFileAtomic(join(out, name), readFileSync(abs));
  writeJsonAtomic(join(out, m.manifest.model), m.modelJson);
  writeJsonAtomic(join(out, 'manifest.json'), m.manifest);
  return m;
}
