/**
 * A segmentation checkpoint as the viewer loads it over HTTP: `manifest.json` (what the page needs
 * before downloading weights: task, voxel size, input features, classes, sizes), `model.json` (the
 * checkpoint's TensorFlow.js weights manifest without training state) and `weights.bin`. Served
 * under /model/ by `view`, or written to a folder by `export` for any static server.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import { modelSpec, type ModelClass } from '../models/checkpoint-model.js';
import { WEB_MODEL_FORMAT, type WebModelManifest } from '../models/web-model-manifest.js';
import { resolveCheckpointDir } from '../train/checkpoint.js';

/** A checkpoint resolved for serving: the two JSON bodies and the weight files by name. */
export interface WebModel {
  dir: string;
  manifest: WebModelManifest;
  modelJson: Record<string, unknown>;
  /** Weight file name (as written in model.json) → absolute path. */
  files: Map<string, string>;
}

interface CheckpointJson {
  version?: number;
  metrics?: unknown;
  createdAt?: string;
  format?: string;
  architecture?: Record<string, unknown>;
  classes?: ModelClass[];
  step?: number;
  weightsManifest?: { paths: string[]; weights: unknown[] }[];
  [key: string]: unknown;
}

/** Reads a segmentation checkpoint (or run folder) for the browser; throws a clear Error otherwise. */
export function readWebModel(checkpoint: string): WebModel {
  const dir = resolve(resolveCheckpointDir(checkpoint));
  const file = join(dir, 'model.json');
  let json: CheckpointJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as CheckpointJson;
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint manifest (${(e as Error).message})`);
  }
  if (json.format !== 'pointcontrast-checkpoint')
    throw new Error(`${file}: format '${json.format}' is not pointcontrast-checkpoint`);
  const spec = modelSpec(json, file);
  if (spec.task !== 'segmentation')
    throw new Error(
      `${dir}: not a segmentation checkpoint (its task is '${spec.task}'); the viewer segments with a model from finetune seg`,
    );
  if (!spec.classes.length) throw new Error(`${file}: no classes (not a segmentation model)`);
  const groups = json.weightsManifest ?? [];
  if (!groups.length) throw new Error(`${file}: no weightsManifest`);
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
  const modelJson: Record<string, unknown> = {
    format: json.format,
    version: json.version,
    architecture: json.architecture,
    step: json.step ?? 0,
    config: null,
    classes: json.classes,
    metrics: json.metrics,
    createdAt: json.createdAt,
    weightsManifest: json.weightsManifest,
  };
  const manifest: WebModelManifest = {
    format: WEB_MODEL_FORMAT,
    version: 1,
    model: 'model.json',
    source: { checkpoint: basename(dir), step: json.step ?? 0 },
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
  writeJsonAtomic(join(out, 'model.json'), m.modelJson);
  writeJsonAtomic(join(out, 'manifest.json'), m.manifest);
  return m;
}
