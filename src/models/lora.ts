/**
 * LoRA on sparse convolution weights (loralib's ConvLoRA scheme): each kernel k³×Cin×Cout is
 * viewed as a (k³·Cin)×Cout matrix W and computed with as W + (α/r)·A·B, A Kaiming-uniform and
 * B zero, so the adapted network starts as exactly the pre-trained function. Also the named
 * trainable sets of the kernel-view experiments (all | head | bn | lora) and their sizes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params.js';
import { matMul2d } from '../sparse/matmul.js';

export interface LoraOptions {
  /** Rank r of the update. */
  rank: number;
  /** Scale numerator α (the update is (α/r)·A·B); loralib's default is α = r. */
  alpha?: number;
  /** Which conv weights get adapters (default: every 3-D conv kernel outside the head). */
  filter?: (name: string) => boolean;
  /** Parameter prefix of the head, excluded by the default filter. */
  headPrefix?: string;
}

/** One adapter: the conv weight it modifies and its factors. */
export interface LoraAdapter {
  weight: string;
  a: tf.Variable;
  b: tf.Variable;
  /** Rows k³·Cin and columns Cout of the matrix view. */
  rows: number;
  cols: number;
}

/** Parameter-name prefix of all adapter factors. */
export const LORA_PREFIX = 'lora.';

/**
 * Adds adapters (A: `lora.<weight>.A`, B: `lora.<weight>.B`) to every selected conv weight of
 * `params` and installs the weight transform the conv layers read through. Returns the
 * adapters; the pre-trained weights are untouched (freeze them by training only `lora.` + head).
 */
export function attachLora(params: Params, opts: LoraOptions): LoraAdapter[] {
  const r = opts.rank;
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`LoRA rank must be a positive integer, got ${r}`);
  if (params.weightTransform) throw new Error('attachLora: the parameters already have a weight transform');
  const headPrefix = opts.headPrefix ?? 'final.';
  const filter =
    opts.filter ??
    ((n: string) => n.endsWith('.weight') && !n.startsWith(headPrefix) && !n.startsWith('head.'));
  const scale = (opts.alpha ?? r) / r;
  const adapters = new Map<string, LoraAdapter>();
  for (const spec of [...params.specs]) {
    if (!spec.trainable || spec.shape.length !== 3 || !filter(spec.name)) continue;
    const [vol, cin, cout] = spec.shape;
    const rows = vol * cin;
    // Kaiming-uniform with a = √5 (PyTorch's Linear/loralib default): bound = 1/√fan_in.
    const a = params.add(`${LORA_PREFIX}${spec.name}.A`, [rows, r], {
      kind: 'uniform',
      bound: 1 / Math.sqrt(rows),
    });
    const b = params.add(`${LORA_PREFIX}${spec.name}.B`, [r, cout], { kind: 'const', value: 0 });
    adapters.set(spec.name, { weight: spec.name, a, b, rows, cols: cout });
  }
  params.weightTransform = (name, w) => {
    const ad = adapters.get(name);
    if (!ad) return w;
    const delta = tf.mul(matMul2d(ad.a as tf.Tensor2D, ad.b as tf.Tensor2D), scale);
    return tf.add(w, tf.reshape(delta, w.shape));
  };
  return [...adapters.values()];
}

/** Writes W ← W + (α/r)·A·B into every adapted weight and zeroes B (deployment / export). */
export function mergeLora(params: Params, adapters: readonly LoraAdapter[]): void {
  const t = params.weightTransform;
  if (!t) return;
  for (const ad of adapters) {
    const w = params.get(ad.weight);
    const merged = tf.tidy(() => t(ad.weight, w));
    w.assign(merged);
    merged.dispose();
    tf.tidy(() => ad.b.assign(tf.zerosLike(ad.b)));
  }
}

/** The trainable sets of parameter-efficient fine-tuning. */
export const TRAINABLE_SETS = ['all', 'head', 'bn', 'lora'] as const;
export type TrainableSet = (typeof TRAINABLE_SETS)[number];

/**
 * Names of the parameters a set trains: `all` every trainable parameter except adapters;
 * `head` the head only; `bn` every BN γ/β plus the head (the sparse convs have no bias, so
 * this is the BitFit analogue); `lora` the adapters plus the head.
 */
export function trainableSet(
  params: Params,
  set: TrainableSet,
  headPrefix: string | readonly string[] = 'final.',
): string[] {
  const heads = typeof headPrefix === 'string' ? [headPrefix] : headPrefix;
  const isHead = (n: string) => heads.some((p) => n.startsWith(p));
  const isLora = (n: string) => n.startsWith(LORA_PREFIX);
  const isBn = (n: string) => n.endsWith('.gamma') || n.endsWith('.beta');
  const keep: Record<TrainableSet, (n: string) => boolean> = {
    all: (n) => !isLora(n),
    head: isHead,
    bn: (n) => isHead(n) || (isBn(n) && !isLora(n)),
    lora: (n) => isHead(n) || isLora(n),
  };
  if (set === 'lora' && !params.specs.some((s) => isLora(s.name)))
    throw new Error("trainable set 'lora' needs adapters: call attachLora first");
  return params.specs.filter((s) => s.trainable && keep[set](s.name)).map((s) => s.name);
}

/** Number of scalars in the named parameters. */
export function countScalars(params: Params, names: readonly string[]): number {
  const want = new Set(names);
  let n = 0;
  for (const s of params.specs) if (want.has(s.name)) n += s.shape.reduce((a, b) => a * b, 1);
  return n;
}
