/**
 * A segmentation checkpoint as the viewer loads it over HTTP: `manifest.json` (what the page needs
 * before downloading weights: task, voxel size, input features, classes, sizes), `model.json` (the
 * checkpoint's TensorFlow.js weights manifest without training state) and `weights.bin`. Served
 * under /model/ by `view`, or written to a folder by `export` for any static server.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';
import { checkpointTask, classesNamed, modelSpec } from '../models/checkpoint-model.js';
import { WEB_MODEL_FORMAT, type WebComplement, type WebModelManifest } from '../models/web-model-manifest.js';
import { MODEL_JSON, readModelJson, type ModelJson } from '../train/checkpoint.js';
import { loadModel } from '../train/load-model.js';
import { COMPLEMENT_DEFAULTS } from '../tasks/segment/complement.js';
import { complementFromCheckpoint } from '../tasks/segment/complement-setup.js';

/** A checkpoint folder's name for people: `run/last` rather than `last`. */
function checkpointName(dir: string): string {
  const name = basename(dir);
  return ['last', 'best'].includes(name) ? `${basename(dirname(dir))}/${name}` : name;
}

/** The folder, beside manifest.json, that holds the complement rule's init as a web model. */
export const COMPLEMENT_FOLDER = 'complement/';

/** The complement rule as calibrated for a checkpoint: the manifest block's values and its init's folder. */
export type ComplementCalibration = Omit<WebComplement, 'model' | 'source'> & { initDir: string };

/**
 * Calibrates the complement rule for a fine-tuned segmentation checkpoint on its own training
 * labels (its config's data; its init, or `initPath`), as `predict --complement` does; the
 * networks are released afterwards.
 */
export function calibrateWebComplement(checkpoint: string, initPath?: string): ComplementCalibration {
  const model = loadModel(checkpoint);
  try {
    const setup = complementFromCheckpoint(model, { init: initPath });
    setup.init.net.params.dispose();
    return {
      initDir: setup.init.dir,
      absent: setup.absent,
      thresholds: [...setup.thresholds],
      rate: COMPLEMENT_DEFAULTS.rate,
      minShare: setup.minShare,
    };
  } finally {
    model.net.params.dispose();
  }
}

/** A checkpoint resolved for serving: the two JSON bodies and the weight files by name. */
export interface WebModel {
  dir: string;
  manifest: WebModelManifest;
  /** The checkpoint's meta and weights manifest without training state or config. */
  modelJson: ModelJson;
  /** Weight file name (as the weights manifest lists it) → absolute path. */
  files: Map<string, string>;
  /** The complement rule's init, served or written under {@link COMPLEMENT_FOLDER}. */
  complement?: WebModel;
}

/**
 * Reads a segmentation checkpoint (or run folder) for the browser, with the complement rule's
 * init when `complement` is given; throws a clear Error otherwise.
 */
export function readWebModel(checkpoint: string, complement?: ComplementCalibration): WebModel {
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
  if (!complement) return { dir, manifest, modelJson, files };
  const init = readWebModel(complement.initDir);
  const names = (m: WebModelManifest) => m.classes.map((c) => c.name);
  if (!classesNamed(init.manifest.classes, names(manifest)))
    throw new Error(
      `complement: its init ${init.dir} predicts ${names(init.manifest).join(', ')}; ${dir} predicts ${names(manifest).join(', ')}`,
    );
  const block: WebComplement = {
    model: COMPLEMENT_FOLDER,
    source: checkpointName(init.dir),
    absent: complement.absent,
    thresholds: complement.thresholds,
    rate: complement.rate,
    minShare: complement.minShare,
  };
  return { dir, manifest: { ...manifest, complement: block }, modelJson, files, complement: init };
}

/**
 * Writes manifest.json, model.json and the weight files into `out` (created; files replaced
 * atomically, manifest.json last so a reader never sees a manifest without its weights), and the
 * complement rule's init into `out`/complement/ first when `complement` is given.
 */
export function exportWebModel(
  checkpoint: string,
  out: string,
  complement?: ComplementCalibration,
): WebModel {
  const m = readWebModel(checkpoint, complement);
  if (existsSync(out) && !statSync(out).isDirectory()) throw new Error(`${out}: exists and is not a folder`);
  mkdirSync(out, { recursive: true });
  if (m.complement) writeWebModel(m.complement, join(out, COMPLEMENT_FOLDER));
  writeWebModel(m, out);
  return m;
}

function writeWebModel(m: WebModel, out: string): void {
  mkdirSync(out, { recursive: true });
  for (const [name, abs] of m.files) writeFileAtomic(join(out, name), readFileSync(abs));
  writeJsonAtomic(join(out, m.manifest.model), m.modelJson);
  writeJsonAtomic(join(out, 'manifest.json'), m.manifest);
}
