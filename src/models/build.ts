/**
 * Building networks from a serialisable architecture description (what checkpoints store) and
 * loading weights into them: strictly (resume, evaluation) or by same-shape name matching
 * (fine-tuning from a pre-trained backbone: the head is new, mismatched layers are reported).
 */
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Params } from './params.js';
import { Res16UNet } from './res16unet.js';
import { BACKBONES, BACKBONE_NAMES, type BackboneName } from './registry.js';

export const architectureSchema = z.strictObject({
  backbone: z.enum(BACKBONE_NAMES as [BackboneName, ...BackboneName[]]),
  inChannels: z.number().int().positive(),
  outChannels: z.number().int().positive(),
  stemKernel: z.number().int().positive().default(3),
  /** PyTorch convention (running ← (1−m)·running + m·batch). */
  bnMomentum: z.number().min(0).max(1).default(0.05),
  blockBnMomentum: z.number().min(0).max(1).default(0.1),
  normalize: z.boolean().default(false),
});
export type Architecture = z.output<typeof architectureSchema>;

/** Builds the network of a validated architecture (parameters initialised from `seed`). */
export function buildNetwork(a: Architecture, seed = 0, allocate = true): Res16UNet {
  const params = new Params({ seed, allocate });
  return new Res16UNet(params, BACKBONES[a.backbone], {
    inChannels: a.inChannels,
    outChannels: a.outChannels,
    stemKernel: a.stemKernel,
    bnMomentum: a.bnMomentum,
    blockBnMomentum: a.blockBnMomentum,
    normalize: a.normalize,
  });
}

export interface LoadReport {
  loaded: string[];
  /** Parameters of the network left at their initial values, with the reason. */
  skipped: { name: string; reason: string }[];
  /** Checkpoint tensors the network has no parameter for. */
  unused: string[];
}

/**
 * Copies checkpoint tensors into parameters. `mode: 'strict'` requires every parameter with an
 * identical shape; `'same-shape'` loads what matches and reports the rest.
 */
export function loadWeights(
  params: Params,
  weights: Map<string, tf.Tensor>,
  mode: 'strict' | 'same-shape',
  source = 'checkpoint',
): LoadReport {
  const report: LoadReport = { loaded: [], skipped: [], unused: [] };
  const names = new Set<string>();
  for (const [name, v] of params.entries()) {
    names.add(name);
    const t = weights.get(name);
    if (!t) report.skipped.push({ name, reason: 'missing in checkpoint' });
    else if (t.shape.join('x') !== v.shape.join('x')) {
      report.skipped.push({
        name,
        reason: `shape ${t.shape.join('×')} in checkpoint vs ${v.shape.join('×')}`,
      });
    } else {
      v.assign(t);
      report.loaded.push(name);
    }
  }
  for (const k of weights.keys()) if (!names.has(k)) report.unused.push(k);
  if (mode === 'strict' && (report.skipped.length > 0 || report.unused.length > 0)) {
    const lines = [
      ...report.skipped.map((s) => `${s.name}: ${s.reason}`),
      ...report.unused.map((u) => `${u}: not in the network`),
    ];
    throw new Error(
      `${source}: weights do not match the network:\n  ${lines.slice(0, 20).join('\n  ')}${lines.length > 20 ? `\n  … ${lines.length - 20} more` : ''}`,
    );
  }
  return report;
}
