/**
 * The Res16UNet family of MinkowskiEngine / PointContrast on our sparse engine: a stem conv,
 * four stride-2 stages with BasicBlocks, four transposed stages with skip concatenation, and a
 * final 1×1 layer with bias (optionally L2-normalised output for contrastive pre-training).
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params.js';
import { BasicBlock, BatchNorm, Conv, ConvDown, ConvUp, Linear, type Mode } from './layers.js';
import { concat } from '../sparse/ops.js';
import type { SparseTensor } from '../sparse/sparse-tensor.js';
import type { MapPlan } from '../sparse/coordinate-manager.js';

export interface UNetSpec {
  /** Output channels of the 8 stages (4 down, 4 up). */
  planes: readonly [number, number, number, number, number, number, number, number];
  /** BasicBlocks per stage. */
  layers: readonly [number, number, number, number, number, number, number, number];
  /** Stem width (INIT_DIM). */
  initDim: number;
}

export interface UNetOptions {
  inChannels: number;
  outChannels: number;
  /** Stem kernel size (3 in all PointContrast/CSC scripts). */
  stemKernel: number;
  /** PyTorch-convention BN momentum of the non-block BNs (0.05 pre-training, 0.02 downstream). */
  bnMomentum: number;
  /** BN momentum inside blocks (the reference leaves PyTorch's default 0.1 there). */
  blockBnMomentum: number;
  /** L2-normalise the output features (pre-training). */
  normalize: boolean;
}

function stage(p: Params, name: string, cin: number, cout: number, n: number, o: UNetOptions): BasicBlock[] {
  const blocks: BasicBlock[] = [];
  for (let i = 0; i < n; i++) {
    blocks.push(
      new BasicBlock(p, `${name}.${i}`, i === 0 ? cin : cout, cout, o.blockBnMomentum, o.blockBnMomentum),
    );
  }
  return blocks;
}

function runBlocks(blocks: BasicBlock[], x: SparseTensor, mode: Mode): SparseTensor {
  for (const b of blocks) x = b.apply(x, mode);
  return x;
}

/** Res16UNet with the given stage widths and depths. */
export class Res16UNet {
  readonly stem: Conv;
  readonly stemBn: BatchNorm;
  readonly down: { conv: ConvDown; bn: BatchNorm; blocks: BasicBlock[] }[] = [];
  readonly up: { conv: ConvUp; bn: BatchNorm; blocks: BasicBlock[] }[] = [];
  readonly final: Linear;
  /** Channels of the features fed to the final layer (the backbone's feature width). */
  readonly featureChannels: number;
  /** Optional head after the final layer (the prototype head scores its output); null = none. */
  outputHead: ((f: tf.Tensor2D) => tf.Tensor2D) | null = null;

  constructor(
    readonly params: Params,
    readonly spec: UNetSpec,
    readonly options: UNetOptions,
  ) {
    const { planes, layers, initDim } = spec;
    const o = options;
    this.stem = new Conv(params, 'conv0p1s1', o.inChannels, initDim, o.stemKernel);
    this.stemBn = new BatchNorm(params, 'bn0', initDim, o.bnMomentum);
    let inplanes = initDim;
    const skips: number[] = [initDim];
    for (let s = 0; s < 4; s++) {
      const conv = new ConvDown(params, `conv${s + 1}p${2 ** s}s2`, inplanes, inplanes);
      const bn = new BatchNorm(params, `bn${s + 1}`, inplanes, o.bnMomentum);
      const blocks = stage(params, `block${s + 1}`, inplanes, planes[s], layers[s], o);
      inplanes = planes[s];
      if (s < 3) skips.push(inplanes);
      this.down.push({ conv, bn, blocks });
    }
    for (let s = 0; s < 4; s++) {
      const name = `convtr${s + 4}p${2 ** (4 - s)}s2`;
      const conv = new ConvUp(params, name, inplanes, planes[4 + s]);
      const bn = new BatchNorm(params, `bntr${s + 4}`, planes[4 + s], o.bnMomentum);
      const cin = planes[4 + s] + skips[3 - s];
      const blocks = stage(params, `block${s + 5}`, cin, planes[4 + s], layers[4 + s], o);
      inplanes = planes[4 + s];
      this.up.push({ conv, bn, blocks });
    }
    this.featureChannels = inplanes;
    this.final = new Linear(params, 'final', inplanes, o.outChannels);
  }

  /** The coordinate levels and kernel maps a forward pass needs (to prebuild them off-thread). */
  mapPlan(): MapPlan {
    const kernels: [number, number, number][] = [[1, this.options.stemKernel, 1]];
    for (const s of [1, 2, 4, 8, 16]) if (s !== 1 || this.options.stemKernel !== 3) kernels.push([s, 3, 1]);
    return { maxStride: 16, kernels };
  }

  /** Per-voxel features before the final layer, at stride 1. */
  features(x: SparseTensor, mode: Mode): SparseTensor {
    let out = this.stemBn.apply(this.stem.apply(x), mode, true);
    if (mode.stemDelta) out = out.withFeatures(tf.add(out.features, mode.stemDelta));
    const skips: SparseTensor[] = [out];
    for (let s = 0; s < 4; s++) {
      const d = this.down[s];
      out = runBlocks(d.blocks, d.bn.apply(d.conv.apply(out), mode, true), mode);
      if (s < 3) skips.push(out);
    }
    for (let s = 0; s < 4; s++) {
      const u = this.up[s];
      out = u.bn.apply(u.conv.apply(out), mode, true);
      out = runBlocks(u.blocks, concat([out, skips[3 - s]]), mode);
    }
    return out;
  }

  /** Full forward: features → final 1×1 (→ L2-normalised when configured) (→ output head). */
  forward(x: SparseTensor, mode: Mode): SparseTensor {
    return this.output(this.features(x, mode));
  }

  /** The layers after `features`: final 1×1, optional normalisation, optional output head. */
  output(features: SparseTensor): SparseTensor {
    let out = this.final.apply(features);
    if (this.options.normalize) {
      const f = out.features;
      out = out.withFeatures(tf.div(f, tf.add(tf.norm(f, 'euclidean', 1, true), 1e-8)) as tf.Tensor2D);
    }
    return this.outputHead ? out.withFeatures(this.outputHead(out.features)) : out;
  }
}
