/**
 * SMART as a trainer hook: every step adds λ·ℓ_s(f(h + δ), f(h)) with δ the adversarial
 * perturbation of the stem output, and μ·ℓ_s(f(h), f_teacher(h)) against an EMA teacher of all
 * parameters (updated after each step, saved with the checkpoint for resume). The perturbed and
 * teacher passes reuse the batch's input and do not update BN running statistics.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainHook } from '../../../train/hooks.js';
import type { VoxelBatch } from '../../../data/loader/types.js';
import { buildSegNetwork, type SegArchitecture } from '../../../models/seg-model.js';
import { copyParams, emaUpdate } from '../../../models/ema.js';
import { smartTerms } from '../../../losses/smart.js';
import type { SegTask } from '../task.js';
import type { SegConfig } from '../schema.js';
import { deriveSeed } from '../../../core/rng.js';

/** Keeps SMART's draws apart from the other seeded streams of a run. */
const SMART_STREAM = 0x53a27;

/** Seed of δ₀ at a step (a fresh draw per step, the same after a resume). */
export function smartSeed(seed: number, step: number): number {
  return deriveSeed(seed, step, SMART_STREAM);
}

/**
 * The SMART hook of a run (null when `smart.enabled` is false); `absent` gives the classes the
 * training labels lack, asked for only when `smart.partition` is `absent`.
 */
export function smartHook(
  task: SegTask,
  arch: SegArchitecture,
  smart: SegConfig['smart'],
  seed: number,
  absent: () => number[],
): TrainHook<VoxelBatch> | null {
  if (!smart.enabled) return null;
  const kept = smart.partition === 'absent' ? absent() : undefined;
  if (kept && !kept.length)
    throw new Error(
      "smart.partition: 'absent' keeps the classes the training labels lack, and these labels have every class",
    );
  const teacher = smart.mu > 0 ? buildSegNetwork(arch, seed) : null;
  return {
    name: 'smart',
    start({ resumed }) {
      // θ̃₀ = θ₀ (after the backbone load and imprinting); a resumed run restored it already
      if (teacher && !resumed) copyParams(teacher.net.params, task.params);
    },
    loss(ctx, base) {
      const clean = base.outputs?.logits as tf.Tensor2D | undefined;
      if (!clean) throw new Error('SMART: the task exposes no logits');
      let teacherLogits: tf.Tensor2D | undefined;
      if (teacher) {
        const x = task.input(ctx.batch);
        const mode = { ...task.trainMode(), updateStats: false };
        teacherLogits = teacher.net.output(teacher.net.features(x, mode)).features;
      }
      const r = smartTerms({
        clean,
        perturbed: (delta) => task.forward(ctx.batch, { stemDelta: delta, updateStats: false }),
        rows: clean.shape[0],
        cols: task.net.spec.initDim,
        lambda: smart.lambda,
        perturbation: {
          sigma: smart.sigma,
          stepSize: smart.stepSize,
          epsilon: smart.epsilon,
          steps: smart.steps,
          seed: smartSeed(seed, ctx.step),
        },
        teacher: teacherLogits ? { logits: teacherLogits, mu: smart.mu, kept } : undefined,
      });
      const metrics: Record<string, number> = { smartSmooth: r.smoothness.dataSync()[0] };
      if (r.bregman) metrics.smartBregman = r.bregman.dataSync()[0];
      return { loss: r.total, metrics };
    },
    afterStep() {
      if (teacher) emaUpdate(teacher.net.params, task.params, smart.beta);
    },
    tensors: () => (teacher ? teacher.net.params.entries().map(([name, tensor]) => ({ name, tensor })) : []),
    restoreTensors(saved) {
      if (!teacher) return;
      for (const [name, v] of teacher.net.params.entries()) {
        const t = saved.get(name);
        if (!t) throw new Error(`SMART: the checkpoint lacks the teacher's ${name}`);
        v.assign(t);
      }
    },
    end() {
      teacher?.net.params.dispose();
    },
  };
}
