/**
 * θ₀ of a fine-tuning run, saved as `checkpoints/step-0/` once every method has initialised
 * (backbone loaded, prototypes imprinted): what `evaluate linearization` compares the fine-tuned
 * weights with. Weights only; a resumed run keeps the one it wrote when it started.
 */
import type { TrainHook } from '../../../train/hooks.js';
import { saveCheckpoint, type CheckpointMetaInput } from '../../../train/checkpoint.js';

/** The hook that writes `checkpoints/step-0/` at the start of a new run. */
export function initialCheckpointHook<B>(meta: Omit<CheckpointMetaInput, 'step'>): TrainHook<B> {
  return {
    name: 'initial-checkpoint',
    async start({ params, run, resumed }) {
      if (resumed) return;
      const weights = params.entries().map(([name, tensor]) => ({ name, tensor }));
      await saveCheckpoint(run.stepDir(0), { ...meta, step: 0 }, weights);
    },
  };
}
