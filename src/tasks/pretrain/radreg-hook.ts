/**
 * RadReg in pre-training (a reconstruction, see docs/transfer-methods.md) as a trainer
 * hook: each step takes a batch of unlabelled downstream scenes, the backbone's stride-1 features
 * h of ≤ `perScene` voxels per scene, fresh Rademacher signs σ, a few projected ascent steps of the
 * adversary head φ on detached h, then adds λ·(1/n) Σ σ·φ(h) to the contrastive loss.
 */
import * as tf from '@tensorflow/tfjs';
import { createLoader, type DataLoader } from '../../data/loader/loader.js';
import type { LoaderConfig } from '../../data/loader/config.js';
import type { SourceSpec } from '../../data/loader/sources.js';
import type { Batch, LoaderState, PairBatch, VoxelBatch } from '../../data/loader/types.js';
import { RadRegHead, radRegAscent, radRegPenalty, rademacher } from '../../losses/radreg.js';
import type { Res16UNet } from '../../models/res16unet.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import { gatherRows } from '../../sparse/gather-op.js';
import { SparseTensor } from '../../sparse/sparse-tensor.js';
import type { NamedTensor, TrainHook } from '../../train/hooks.js';
import type { PretrainConfig } from './schema.js';
import type { RadRegConfig } from './radreg-schema.js';

/** Seed of step `step`'s Rademacher signs (fresh every step, reproducible on resume). */
export function radregSignSeed(seed: number, step: number): number {
  return deriveSeed(seed, step, 0x5a11);
}

/** Seed of step `step`'s choice of downstream voxels. */
export function radregRowSeed(seed: number, step: number): number {
  return deriveSeed(seed, step, 0x5a12);
}

/** Seed of the adversary head's initialisation. */
export function radregHeadSeed(seed: number): number {
  return deriveSeed(seed, 0x4ad);
}

/** The downstream scenes of `radreg.data` (its `radreg.split`), as a loader source. */
export function radregSource(r: RadRegConfig): SourceSpec {
  if (r.data === null) throw new Error('radreg.data: required when regularizer is radreg');
  return { type: 'prepared', dir: r.data, split: r.split };
}

/**
 * The downstream loader's settings: the pre-training voxel size and input features, ⌈voxels /
 * perScene⌉ scenes per batch, no augmentation (the features should describe the scenes as they are).
 */
export function radregLoaderConfig(cfg: PretrainConfig): LoaderConfig {
  const r = cfg.radreg;
  return {
    ...cfg.data.loader,
    batchSize: Math.ceil(r.voxels / r.perScene),
    featureJitter: null,
    transforms: [],
    shuffle: true,
    seed: deriveSeed(cfg.seed, 0x7ad),
    dropLast: false,
    epochs: null,
    pointToVoxel: false,
  };
}

/**
 * Rows of a batch to regularise: up to `perScene` random rows of each scene (rows given by the
 * batch offsets), at most `voxels` in all, in batch order.
 */
export function radregRows(offsets: Int32Array, perScene: number, voxels: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let b = 0; b + 1 < offsets.length && out.length < voxels; b++) {
    const rows = Int32Array.from({ length: offsets[b + 1] - offsets[b] }, (_, i) => offsets[b] + i);
    rng.shuffle(rows);
    const take = Math.min(perScene, rows.length, voxels - out.length);
    for (let i = 0; i < take; i++) out.push(rows[i]);
  }
  return Int32Array.from(out);
}

/** Backbone features at stride 1 (what a segmentation head reads) of the chosen rows of a scene batch. */
export function radregFeatures(net: Res16UNet, batch: VoxelBatch, rows: Int32Array): tf.Tensor2D {
  const n = batch.coords.length / 4;
  const x = SparseTensor.fromCoords(
    batch.coords,
    tf.tensor2d(batch.feats, [n, batch.featDim]),
    batch.batchSize,
  );
  // training-mode normalisation like the contrastive pass, but only that pass moves BN statistics
  const h = net.features(x, { training: true, updateStats: false }).features;
  return gatherRows(h, rows);
}

/** The RadReg hook of a pre-training run on `net` (state: the adversary head and the loader position). */
export function radregHook(cfg: PretrainConfig, net: Res16UNet): TrainHook<PairBatch> {
  const r = cfg.radreg;
  const head = new RadRegHead(
    net.featureChannels,
    { hidden: r.width, outputs: r.outputs, normBound: r.bound },
    radregHeadSeed(cfg.seed),
  );
  let loader: DataLoader | null = null;
  let resumeState: LoaderState | undefined;
  // the batch the next step uses, and the loader position it was read from (saved for resume)
  let held: VoxelBatch | null = null;
  let heldState: LoaderState | undefined;

  const fetch = async () => {
    heldState = loader!.state();
    const b: Batch | null = await loader!.next();
    if (!b || b.kind !== 'scenes') throw new Error(`radreg.data: ${r.data} did not give a batch of scenes`);
    held = b;
  };

  return {
    name: 'radreg',
    async start() {
      loader = await createLoader({
        source: radregSource(r),
        config: radregLoaderConfig(cfg),
        resume: resumeState,
      });
      if (loader.kind !== 'scenes') throw new Error(`radreg.data: ${r.data} gives pairs, expected scenes`);
      await fetch();
    },
    loss(ctx) {
      const batch = held!;
      const rows = radregRows(batch.offsets, r.perScene, r.voxels, radregRowSeed(cfg.seed, ctx.step));
      const h = radregFeatures(net, batch, rows);
      const sigma = tf.tensor2d(rademacher(rows.length, r.outputs, radregSignSeed(cfg.seed, ctx.step)), [
        rows.length,
        r.outputs,
      ]);
      // the inner maximisation sees h as a constant (radRegAscent copies it); φ is not a trained parameter
      radRegAscent(head, h, sigma, r.ascentSteps, r.ascentLr);
      const penalty = radRegPenalty(head.apply(h), sigma);
      return { loss: tf.mul(penalty, r.lambda) as tf.Scalar, metrics: { radreg: penalty.dataSync()[0] } };
    },
    async afterStep() {
      await fetch();
    },
    state: () => ({ radregLoader: heldState }),
    restore(ts) {
      resumeState = ts.radregLoader as LoaderState | undefined;
    },
    tensors: (): NamedTensor[] => head.params.entries().map(([name, v]) => ({ name, tensor: v })),
    restoreTensors(saved) {
      for (const [name, v] of head.params.entries()) {
        const t = saved.get(name);
        if (!t) throw new Error(`--resume: the checkpoint lacks the RadReg adversary's ${name}`);
        v.assign(t);
      }
    },
    async end() {
      await loader?.close();
      head.dispose();
    },
  };
}

/** The method hooks of a pre-training run (none unless a regulariser is configured). */
export function pretrainHooks(cfg: PretrainConfig, net: Res16UNet): TrainHook<PairBatch>[] {
  return cfg.regularizer === 'radreg' ? [radregHook(cfg, net)] : [];
}
