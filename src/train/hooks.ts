/**
 * The trainer's extension points. A method (an extra loss term, a gradient transform, a
 * parameter subset, an EMA teacher) or a run behaviour (validation, periodic checkpoints, early
 * stop) is a `TrainHook`: an object with the few callbacks it needs, so the loop stays one loop.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Params } from '../models/params.js';
import type { RunDir } from './run-dir.js';

/** What a task (or a hook's extra term) computes for one batch. */
export interface StepResult {
  loss: tf.Scalar;
  /** Numbers to log (diagnostics); read inside the step. */
  metrics: Record<string, number>;
  /** Tensors of the forward pass a hook may reuse (e.g. `logits`); owned by the gradient scope. */
  outputs?: Record<string, tf.Tensor>;
}

/** A named tensor (checkpoint entries). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** What a hook sees during a step (before the parameters change). */
export interface StepContext<B> {
  /** Steps completed before this one. */
  readonly step: number;
  readonly maxSteps: number;
  readonly lr: number;
  readonly batch: B;
  readonly params: Params;
}

/** What a hook sees once a step is applied. */
export interface AfterStepContext<B> extends StepContext<B> {
  /** Steps completed, this one included. */
  readonly step: number;
  readonly loss: number;
  readonly metrics: Record<string, number>;
  readonly run: RunDir;
  /** Saves weights, optimizer, loader and hook state to these folders (atomic). */
  checkpoint(dirs: string[], metrics?: Record<string, number>): Promise<void>;
  /** Appends a record to metrics.jsonl. */
  log(record: Record<string, unknown>): void;
}

/**
 * What a hook sees once, before the first step: on --resume after the weights, optimizer,
 * loader and the hooks' own `restore` (JSON state), before their `restoreTensors`.
 */
export interface StartContext {
  readonly params: Params;
  /** The parameter names that will be trained (after every hook's `trainable`). */
  readonly trainable: readonly string[];
  readonly run: RunDir;
  /** Steps already done (0 unless resumed). */
  readonly step: number;
  readonly resumed: boolean;
}

/** Why the loop stopped. */
export type StopReason = 'max-steps' | 'time-budget' | 'early-stop';

/**
 * A trainer extension; every member is optional. Hooks run in the order given, and their
 * names key their saved state, so a name must be unique within a run.
 */
export interface TrainHook<B = unknown> {
  readonly name: string;
  /** Narrows (or replaces) the names of the parameters to train; called once at setup. */
  trainable?(names: readonly string[], params: Params): string[];
  /**
   * Called once before the first step, after `restore` on a resume (so saved JSON state, such as
   * a loader position, shapes what starts here); create tensor state here: `restoreTensors` then
   * gives it its saved values.
   */
  start?(ctx: StartContext): void | Promise<void>;
  /** An extra loss term added to the task's loss, inside the gradient scope (null = none this step). */
  loss?(ctx: StepContext<B>, base: StepResult): StepResult | null;
  /**
   * Replaces the gradients (parameter name → gradient) before the optimizer step. Runs inside a
   * tf.tidy: intermediates are freed; input gradients not returned are disposed by the trainer.
   */
  gradients?(grads: Record<string, tf.Tensor>, ctx: StepContext<B>): Record<string, tf.Tensor>;
  /** Called after the optimizer step (e.g. an EMA teacher update); may ask the loop to stop. */
  afterStep?(ctx: AfterStepContext<B>): void | { stop: StopReason } | Promise<void | { stop: StopReason }>;
  /** JSON state saved in every checkpoint's trainState (keys shared with the other hooks). */
  state?(): Record<string, unknown>;
  /** Restores from a resumed checkpoint's trainState (before `start`). */
  restore?(trainState: Record<string, unknown>): void;
  /** Tensors saved with the optimizer state, as `hooks/<hook name>/<name>`. */
  tensors?(): NamedTensor[];
  /** Restores `tensors()` from a resumed checkpoint (assign the values; the trainer disposes them). */
  restoreTensors?(tensors: Map<string, tf.Tensor>): void;
  /** Fields this hook adds to the run summary. */
  summary?(): { bestScore?: number; bestStep?: number };
  /** Called once after the last checkpoint (release tensors here). */
  end?(): void | Promise<void>;
}

/** A validation pass: higher scores are better. */
export interface Validation {
  every: number;
  /** Returns the score and metrics to log. */
  run(step: number): Promise<{ score: number; metrics: Record<string, number> }>;
  /** Stop after this many validations without improvement (null = never). */
  patience: number | null;
}

/**
 * Validation every N steps (and at the last step), the best score's checkpoint in best/, and
 * early stop after `patience` validations without improvement.
 */
export function validationHook<B>(v: Validation): TrainHook<B> {
  let best = -Infinity;
  let bestStep: number | undefined;
  let sinceBest = 0;
  return {
    name: 'validation',
    state: () => ({ best, bestStep, sinceBest }),
    restore(ts) {
      if (typeof ts.best === 'number') best = ts.best;
      if (typeof ts.bestStep === 'number') bestStep = ts.bestStep;
      if (typeof ts.sinceBest === 'number') sinceBest = ts.sinceBest;
    },
    summary: () => (bestStep !== undefined ? { bestScore: best, bestStep } : {}),
    async afterStep(ctx) {
      if (ctx.step % v.every !== 0 && ctx.step !== ctx.maxSteps) return;
      const r = await v.run(ctx.step);
      ctx.log({ step: ctx.step, validation: true, score: r.score, ...r.metrics });
      if (r.score > best) {
        best = r.score;
        bestStep = ctx.step;
        sinceBest = 0;
        await ctx.checkpoint([ctx.run.best], { score: r.score, ...r.metrics });
      } else if (v.patience !== null && ++sinceBest >= v.patience) {
        return { stop: 'early-stop' };
      }
    },
  };
}

/** A checkpoint in checkpoints/step-N/ and last/ every `every` steps (the final one is the trainer's). */
export function periodicCheckpointHook<B>(every: number): TrainHook<B> {
  return {
    name: 'checkpoint',
    async afterStep(ctx) {
      if (ctx.step % every === 0 && ctx.step < ctx.maxSteps)
        await ctx.checkpoint([ctx.run.stepDir(ctx.step), ctx.run.last]);
    },
  };
}

/** Trains only the parameters whose names pass `keep` (head-only, BN-only, adapters…). */
export function parameterSubsetHook<B>(name: string, keep: (param: string) => boolean): TrainHook<B> {
  return {
    name,
    trainable(names) {
      const kept = names.filter(keep);
      if (kept.length === 0) throw new Error(`${name}: no trainable parameter is selected`);
      return kept;
    },
  };
}
