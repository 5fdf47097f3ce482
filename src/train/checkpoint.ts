/**
 * Checkpoints: a folder with `model.json` (format, architecture, step, config, class names,
 * training state and a TensorFlow.js weights manifest) and `weights.bin`, plus
 * `optimizer.json`/`optimizer.bin` for exact resume. Folders are written under a temp name and
 * renamed into place, so a crash never leaves a half-written checkpoint. This module is the one
 * that knows the layout: the file names, and where a run folder keeps its checkpoints (`last/`,
 * `best/`, `checkpoints/step-N/`).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { parseOrThrow } from '../core/zod-errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';

export const CHECKPOINT_FORMAT = 'pointcontrast-checkpoint';

/** A checkpoint's meta and weights manifest (also the name of the browser export's copy). */
export const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const OPTIMIZER_JSON = 'optimizer.json';
const OPTIMIZER_BIN = 'optimizer.bin';

/** The folder of a run's latest checkpoint (rewritten by every periodic one and at the end). */
export function lastCheckpointDir(run: string): string {
  return join(run, 'last');
}

/** The folder of a run's best-validation checkpoint. */
export function bestCheckpointDir(run: string): string {
  return join(run, 'best');
}

/** The folder of a run's checkpoint at `step` (periodic ones, and θ₀ of fine-tuning at step 0). */
export function stepCheckpointDir(run: string, step: number): string {
  return join(run, 'checkpoints', `step-${step}`);
}

/** The meta file of the checkpoint folder `dir` (named in errors). */
export function checkpointMetaFile(dir: string): string {
  return join(dir, MODEL_JSON);
}

/** True when `dir` is a checkpoint folder. */
export function hasCheckpoint(dir: string): boolean {
  return existsSync(checkpointMetaFile(dir));
}

/** A checkpoint folder as given, or a run folder's best/, else last/; undefined when `path` is none of them. */
export function findCheckpointDir(path: string): string | undefined {
  return [path, bestCheckpointDir(path), lastCheckpointDir(path)].find(hasCheckpoint);
}

/** A checkpoint folder, or a run folder (→ best/, else last/). */
export function resolveCheckpointDir(path: string): string {
  const dir = findCheckpointDir(path);
  if (dir === undefined)
    throw new Error(
      `${path}: not a checkpoint folder (no ${MODEL_JSON}) nor a run folder with best/ or last/`,
    );
  return dir;
}

const classSchema = z.object({
  id: z.number(),
  name: z.string(),
  color: z.array(z.number()).optional(),
});

/** The meta of a checkpoint as its model.json holds it (the weights manifest aside). */
export const checkpointMetaSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(1),
  /** What built the network (registry name, spec, options, task head); each task reads its own keys. */
  architecture: z.record(z.string(), z.unknown()),
  step: z.number().int().min(0),
  /** The resolved run config. */
  config: z.unknown(),
  classes: z.array(classSchema).optional(),
  /** Loader position, seeds, best score… whatever the trainer and its hooks need to resume exactly. */
  trainState: z.record(z.string(), z.unknown()).optional(),
  /** Validation metrics of the step (a best/ checkpoint); a NaN is stored as null. */
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  createdAt: z.string(),
});
export type CheckpointMeta = z.output<typeof checkpointMetaSchema>;

/** What a trainer writes into a checkpoint (the format, version and time are added on save). */
export type CheckpointMetaInput = Omit<CheckpointMeta, 'format' | 'version' | 'createdAt'>;

/** One group of a TensorFlow.js weights manifest: the files and the tensors they hold. */
export interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** A checkpoint's model.json: the meta and the weights manifest. */
export interface ModelJson extends CheckpointMeta {
  weightsManifest: WeightsGroup[];
}

async function encode(named: { name: string; tensor: tf.Tensor }[]) {
  return tf.io.encodeWeights(named.map(({ name, tensor }) => ({ name, tensor })));
}

/** Writes a checkpoint folder atomically (replacing an existing one). */
export async function saveCheckpoint(
  dir: string,
  meta: CheckpointMetaInput,
  weights: { name: string; tensor: tf.Tensor }[],
  optimizer?: { name: string; tensor: tf.Tensor }[],
): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const w = await encode(weights);
  writeFileAtomic(join(tmp, WEIGHTS_BIN), new Uint8Array(w.data));
  const json: ModelJson = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    ...meta,
    createdAt: new Date().toISOString(),
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: w.specs }],
  };
  writeJsonAtomic(checkpointMetaFile(tmp), json);
  if (optimizer) {
    const o = await encode(optimizer);
    writeFileAtomic(join(tmp, OPTIMIZER_BIN), new Uint8Array(o.data));
    writeJsonAtomic(join(tmp, OPTIMIZER_JSON), {
      weightsManifest: [{ paths: [OPTIMIZER_BIN], weights: o.specs }],
    });
  }
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** A manifest file's JSON (model.json or optimizer.json). */
function readJson(path: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read checkpoint manifest (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error(`${path}: cannot read checkpoint manifest (not a JSON object)`);
  return json as Record<string, unknown>;
}

/** The weights manifest groups of a manifest file's JSON (at least one). */
function weightsManifest(json: Record<string, unknown>, path: string): WeightsGroup[] {
  const groups = json.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) throw new Error(`${path}: no weightsManifest`);
  return groups as WeightsGroup[];
}

/** The tensors of a manifest's first group (tensors on the active backend; the caller disposes them). */
function readTensors(dir: string, group: WeightsGroup): Map<string, tf.Tensor> {
  const binPath = join(dir, group.paths[0]);
  const bin = readFileSync(binPath);
  const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bin.length !== expected)
    throw new Error(`${binPath}: ${bin.length} bytes, the manifest describes ${expected}`);
  const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
  return new Map(Object.entries(tf.io.decodeWeights(ab, group.weights)));
}

/** A checkpoint's model.json: its folder and file, the raw JSON and the validated meta. */
function readMeta(path: string) {
  const dir = resolveCheckpointDir(path);
  const file = checkpointMetaFile(dir);
  const json = readJson(file);
  if (json.format !== CHECKPOINT_FORMAT)
    throw new Error(`${file}: format '${String(json.format)}' is not ${CHECKPOINT_FORMAT}`);
  return { dir, file, json, meta: parseOrThrow(checkpointMetaSchema, json, '', file) };
}

/** A checkpoint's meta without its weights (architecture, step, config…), and its folder. */
export function readCheckpointMeta(path: string): { dir: string; meta: CheckpointMeta } {
  const { dir, meta } = readMeta(path);
  return { dir, meta };
}

/** A checkpoint's meta with its weights manifest (at least one group), its folder and its file. */
export function readModelJson(path: string): {
  dir: string;
  file: string;
  meta: CheckpointMeta;
  weightsManifest: WeightsGroup[];
} {
  const { dir, file, json, meta } = readMeta(path);
  return { dir, file, meta, weightsManifest: weightsManifest(json, file) };
}

export interface LoadedCheckpoint {
  dir: string;
  meta: CheckpointMeta;
  weights: Map<string, tf.Tensor>;
  optimizer?: Map<string, tf.Tensor>;
}

/** Reads a checkpoint (tensors are created on the active backend; the caller disposes them). */
export function loadCheckpoint(path: string, withOptimizer = false): LoadedCheckpoint {
  const { dir, meta, weightsManifest: groups } = readModelJson(path);
  const out: LoadedCheckpoint = { dir, meta, weights: readTensors(dir, groups[0]) };
  const optimizerFile = join(dir, OPTIMIZER_JSON);
  if (withOptimizer && existsSync(optimizerFile)) {
    const json = readJson(optimizerFile);
    out.optimizer = readTensors(dir, weightsManifest(json, optimizerFile)[0]);
  }
  return out;
}
