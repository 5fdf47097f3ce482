/**
 * Checkpoints: a folder with `model.json` (format, architecture, step, config, class names,
 * training state and a TensorFlow.js weights manifest) and `weights.bin`, plus
 * `optimizer.json`/`optimizer.bin` for exact resume. Folders are written under a temp name and
 * renamed into place, so a crash never leaves a half-written checkpoint.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../data/io/atomic-write.js';

export const CHECKPOINT_FORMAT = 'pointcontrast-checkpoint';

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  /** What built the network (registry name, spec, options, task head). */
  architecture: Record<string, unknown>;
  step: number;
  /** The resolved run config. */
  config: unknown;
  classes?: { id: number; name: string; color?: number[] }[];
  /** Loader position, seeds, best score… whatever the trainer needs to resume exactly. */
  trainState?: Record<string, unknown>;
  metrics?: Record<string, number>;
  createdAt: string;
}

interface ModelJson extends CheckpointMeta {
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

async function encode(named: { name: string; tensor: tf.Tensor }[]) {
  return tf.io.encodeWeights(named.map(({ name, tensor }) => ({ name, tensor })));
}

/** Writes a checkpoint folder atomically (replacing an existing one). */
export async function saveCheckpoint(
  dir: string,
  meta: Omit<CheckpointMeta, 'format' | 'version' | 'createdAt'>,
  weights: { name: string; tensor: tf.Tensor }[],
  optimizer?: { name: string; tensor: tf.Tensor }[],
): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const w = await encode(weights);
  writeFileAtomic(join(tmp, 'weights.bin'), new Uint8Array(w.data));
  const json: ModelJson = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    ...meta,
    createdAt: new Date().toISOString(),
    weightsManifest: [{ paths: ['weights.bin'], weights: w.specs }],
  };
  writeJsonAtomic(join(tmp, 'model.json'), json);
  if (optimizer) {
    const o = await encode(optimizer);
    writeFileAtomic(join(tmp, 'optimizer.bin'), new Uint8Array(o.data));
    writeJsonAtomic(join(tmp, 'optimizer.json'), {
      weightsManifest: [{ paths: ['optimizer.bin'], weights: o.specs }],
    });
  }
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

function readManifest(dir: string, file: string): { json: ModelJson; tensors: Map<string, tf.Tensor> } {
  const path = join(dir, file);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (e) {
    throw new Error(`${path}: cannot read checkpoint manifest (${(e as Error).message})`);
  }
  const group = json.weightsManifest?.[0];
  if (!group) throw new Error(`${path}: no weightsManifest`);
  const binPath = join(dir, group.paths[0]);
  const bin = readFileSync(binPath);
  const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (bin.length !== expected)
    throw new Error(`${binPath}: ${bin.length} bytes, the manifest describes ${expected}`);
  const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
  const decoded = tf.io.decodeWeights(ab, group.weights);
  return { json, tensors: new Map(Object.entries(decoded)) };
}

/** A checkpoint folder, or a run folder (→ best/, else last/). */
export function resolveCheckpointDir(path: string): string {
  if (existsSync(join(path, 'model.json'))) return path;
  for (const sub of ['best', 'last']) if (existsSync(join(path, sub, 'model.json'))) return join(path, sub);
  throw new Error(`${path}: not a checkpoint folder (no model.json) nor a run folder with best/ or last/`);
}

export interface LoadedCheckpoint {
  dir: string;
  meta: CheckpointMeta;
  weights: Map<string, tf.Tensor>;
  optimizer?: Map<string, tf.Tensor>;
}

/** Reads a checkpoint (tensors are created on the active backend; the caller disposes them). */
export function loadCheckpoint(path: string, withOptimizer = false): LoadedCheckpoint {
  const dir = resolveCheckpointDir(path);
  const { json, tensors } = readManifest(dir, 'model.json');
  if (json.format !== CHECKPOINT_FORMAT)
    throw new Error(`${join(dir, 'model.json')}: format '${json.format}' is not ${CHECKPOINT_FORMAT}`);
  const meta = { ...json } as CheckpointMeta & { weightsManifest?: unknown };
  delete meta.weightsManifest;
  const out: LoadedCheckpoint = { dir, meta, weights: tensors };
  if (withOptimizer && existsSync(join(dir, 'optimizer.json')))
    out.optimizer = readManifest(dir, 'optimizer.json').tensors;
  return out;
}

/** A checkpoint's `model.json` without its weights (architecture, step, config…), and its folder. */
export function readCheckpointMeta(path: string): { dir: string; meta: CheckpointMeta } {
  const dir = resolveCheckpointDir(path);
  const file = join(dir, 'model.json');
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as ModelJson;
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint manifest (${(e as Error).message})`);
  }
  if (json.format !== CHECKPOINT_FORMAT)
    throw new Error(`${file}: format '${json.format}' is not ${CHECKPOINT_FORMAT}`);
  const meta = { ...json } as CheckpointMeta & { weightsManifest?: unknown };
  delete meta.weightsManifest;
  return { dir, meta };
}
