/**
 * The training loop shared by every task: gradients of the task's loss (plus the hooks' extra
 * terms) w.r.t. the trainable parameters, the hooks' gradient transforms, the optimizer and
 * schedule, the metrics log (RunDir), max-steps and time-budget stops, and the final checkpoint (atomic, with
 * optimizer, loader and hook state for exact resume). Validation, periodic checkpoints and early
 * stop are hooks (hooks.ts). Every tensor made in a step is released.
 */
import * as tf from '@tensorflow/tfjs';
import type { Params } from '../models/params.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointMetaInput } from './checkpoint.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { learningRate, type ScheduleConfig } from './schedule.js';
import type { RunDir } from './run-dir.js';
import {
  periodicCheckpointHook,
  validationHook,
  type StepContext,
  type StepResult,
  type StopReason,
  type TrainHook,
  type Validation,
} from './hooks.js';

export type { StepResult, TrainHook, Validation } from './hooks.js';

/** A model and its loss on one batch. */
export interface TrainTask<B> {
  params: Params;
  /** Parameter names to train (default: all trainable parameters); hooks may narrow it. */
  trainable?: string[];
  /** Loss of one batch at `step` (runs inside the gradient scope). */
  loss(batch: B, step: number): StepResult;
  /** Releases per-batch resources (e.g. coordinate managers) after the step. */
  release?(batch: B): void;
}

/** Where batches come from; the state round-trips through checkpoints. */
export interface BatchStream<B> {
  next(): Promise<B>;
  state(): unknown;
  restore?(state: unknown): Promise<void> | void;
}

export interface TrainOptions<B = unknown> {
  maxSteps: number;
  /** Stop after this many seconds of training (null = no limit). */
  timeBudget: number | null;
  checkpointEvery: number;
  logEvery: number;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  run: RunDir;
  /** Written into every checkpoint. */
  meta: Omit<CheckpointMetaInput, 'step'>;
  /** Continue from run/last/. */
  resume: boolean;
  /** Validation with best/ checkpoint and early stop (a `validationHook`, run before the others' checkpoints). */
  validation?: Validation;
  /** Method hooks (extra losses, gradient transforms, parameter subsets, EMA teachers…), in order. */
  hooks?: TrainHook<B>[];
  /** Called after every step with live numbers (the CLI draws a bar). */
  onStep?: (info: StepInfo) => void;
}

export interface StepInfo {
  step: number;
  maxSteps: number;
  loss: number;
  lr: number;
  itPerSec: number;
  metrics: Record<string, number>;
}

export interface TrainSummary {
  steps: number;
  seconds: number;
  finalLoss: number;
  bestScore?: number;
  bestStep?: number;
  stoppedBy: StopReason;
  peakRssMb: number;
  /** Set when a resumed run had already reached its max steps: nothing was trained (`seconds` 0). */
  alreadyComplete?: boolean;
}

const HOOK_PREFIX = 'hooks/';

/** The hooks of a run: the method hooks, then validation, then periodic checkpoints. */
function allHooks<B>(opts: TrainOptions<B>): TrainHook<B>[] {
  const hooks = [...(opts.hooks ?? [])];
  if (opts.validation) hooks.push(validationHook<B>(opts.validation));
  hooks.push(periodicCheckpointHook<B>(opts.checkpointEvery));
  const seen = new Set<string>();
  for (const h of hooks) {
    if (seen.has(h.name)) throw new Error(`two trainer hooks are named '${h.name}'`);
    seen.add(h.name);
  }
  return hooks;
}

/** The loss of one batch: the task's plus every hook's extra term (metrics merged). */
function stepLoss<B>(task: TrainTask<B>, hooks: TrainHook<B>[], ctx: StepContext<B>): StepResult {
  const base = task.loss(ctx.batch, ctx.step);
  let loss = base.loss;
  const metrics = { ...base.metrics };
  for (const h of hooks) {
    const extra = h.loss?.(ctx, base);
    if (!extra) continue;
    loss = tf.add(loss, extra.loss);
    Object.assign(metrics, extra.metrics);
  }
  return { loss, metrics };
}

/** Passes the gradients through the hooks' transforms, disposing what a transform replaced. */
function transformGradients<B>(
  hooks: TrainHook<B>[],
  grads: Record<string, tf.Tensor>,
  ctx: StepContext<B>,
): Record<string, tf.Tensor> {
  let g = grads;
  for (const h of hooks) {
    if (!h.gradients) continue;
    const next = tf.tidy(() => h.gradients!(g, ctx));
    const kept = new Set(Object.values(next));
    tf.dispose(Object.values(g).filter((t) => !kept.has(t)));
    g = next;
  }
  return g;
}

/** Runs the loop; returns a summary. The final checkpoint goes to run/last. */
export async function train<B>(
  task: TrainTask<B>,
  stream: BatchStream<B>,
  opts: TrainOptions<B>,
): Promise<TrainSummary> {
  const hooks = allHooks(opts);
  const allParams = task.params.entries();
  let names = task.trainable ?? task.params.specs.filter((s) => s.trainable).map((s) => s.name);
  for (const h of hooks) if (h.trainable) names = h.trainable(names, task.params);
  const trainNames = new Set(names);
  const trainParams = allParams.filter(([n]) => trainNames.has(n));
  const byVarName = new Map(trainParams.map(([n, v]) => [v.name, n]));
  const optimizer = new Optimizer(opts.optimizer);
  let step = 0;

  // resume: weights, optimizer, loader and the hooks' JSON state first, then the hooks start
  // (seeing the restored weights and their own state, e.g. a loader position), then the hooks'
  // tensors (created in start) get their saved values
  let saved: { tensors: Map<string, tf.Tensor> } | undefined;
  if (opts.resume) {
    if (!opts.run.hasCheckpoint()) throw new Error(`--resume: ${opts.run.path} has no last/ checkpoint`);
    const ck = loadCheckpoint(opts.run.last, true);
    for (const [name, v] of allParams) {
      const t = ck.weights.get(name);
      if (!t) throw new Error(`${ck.dir}: checkpoint lacks parameter ${name}`);
      v.assign(t);
    }
    if (ck.optimizer) optimizer.restore(ck.optimizer, trainParams);
    tf.dispose([...ck.weights.values()]);
    step = ck.meta.step;
    const ts = ck.meta.trainState ?? {};
    if (ts.loader !== undefined) await stream.restore?.(ts.loader);
    opts.run.dropMetricsAfter(step);
    for (const h of hooks) h.restore?.(ts);
    saved = { tensors: ck.optimizer ?? new Map<string, tf.Tensor>() };
  }
  for (const h of hooks)
    await h.start?.({ params: task.params, trainable: names, run: opts.run, step, resumed: opts.resume });
  if (saved) {
    for (const h of hooks) {
      if (!h.restoreTensors) continue;
      const prefix = `${HOOK_PREFIX}${h.name}/`;
      const mine = [...saved.tensors].filter(([n]) => n.startsWith(prefix));
      h.restoreTensors(new Map(mine.map(([n, t]) => [n.slice(prefix.length), t])));
    }
    tf.dispose([...saved.tensors.values()]);
  }

  const checkpoint = async (dirs: string[], metrics?: Record<string, number>) => {
    const hookState = Object.assign({}, ...hooks.map((h) => h.state?.() ?? {})) as Record<string, unknown>;
    const meta = {
      ...opts.meta,
      step,
      metrics,
      trainState: { loader: stream.state(), ...hookState, optimizerStep: optimizer.step },
    };
    const weights = allParams.map(([name, v]) => ({ name, tensor: v as tf.Tensor }));
    const state = optimizer.state();
    const extra = hooks.flatMap((h) =>
      (h.tensors?.() ?? []).map((t) => ({ name: `${HOOK_PREFIX}${h.name}/${t.name}`, tensor: t.tensor })),
    );
    try {
      for (const d of dirs) await saveCheckpoint(d, meta, weights, [...state, ...extra]);
    } finally {
      // the step counter is a fresh scalar; the slots are the optimizer's own variables
      tf.dispose(state.filter((s) => s.name === 'step').map((s) => s.tensor));
    }
  };

  const t0 = performance.now();
  let peakRss = process.memoryUsage().rss;
  let lastLoss = NaN;
  let stoppedBy: StopReason = 'max-steps';
  let windowStart = performance.now();
  let windowSteps = 0;
  if (step === 0 && opts.maxSteps === 0) await checkpoint([opts.run.last]);

  while (step < opts.maxSteps) {
    if (opts.timeBudget !== null && (performance.now() - t0) / 1000 > opts.timeBudget) {
      stoppedBy = 'time-budget';
      break;
    }
    const tWait = performance.now();
    const batch = await stream.next();
    const tStep = performance.now();
    const lr = learningRate(opts.schedule, opts.optimizer.lr, step, opts.maxSteps);
    const ctx: StepContext<B> = { step, maxSteps: opts.maxSteps, lr, batch, params: task.params };
    let metrics: Record<string, number> = {};
    const { value, grads } = tf.variableGrads(
      () => {
        const r = stepLoss(task, hooks, ctx);
        metrics = r.metrics;
        return r.loss;
      },
      trainParams.map(([, v]) => v),
    );
    const named: Record<string, tf.Tensor> = {};
    for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn)!] = g;
    const final = transformGradients(hooks, named, ctx);
    const tOpt = performance.now();
    const gradNorm = optimizer.apply(trainParams, new Map(Object.entries(final)), lr);
    const tEnd = performance.now();
    lastLoss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(final)]);
    task.release?.(batch);
    if (!Number.isFinite(lastLoss))
      throw new Error(`step ${step + 1}: loss is ${lastLoss} (diverged); lower optim.lr or check the data`);
    step++;
    windowSteps++;
    const now = performance.now();
    const itPerSec = (windowSteps * 1000) / Math.max(1, now - windowStart);
    if (now - windowStart > 20000) {
      windowStart = now;
      windowSteps = 0;
    }
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (step % opts.logEvery === 0 || step === opts.maxSteps) {
      const mem = tf.memory();
      opts.run.log({
        step,
        loss: lastLoss,
        lr,
        gradNorm,
        ...metrics,
        itPerSec: +itPerSec.toFixed(3),
        waitMs: +(tStep - tWait).toFixed(1),
        stepMs: +(tOpt - tStep).toFixed(1),
        optMs: +(tEnd - tOpt).toFixed(1),
        numTensors: mem.numTensors,
        tfMb: +(mem.numBytes / 2 ** 20).toFixed(1),
        rssMb: +(process.memoryUsage().rss / 2 ** 20).toFixed(1),
        elapsed: +((now - t0) / 1000).toFixed(2),
      });
    }
    opts.onStep?.({ step, maxSteps: opts.maxSteps, loss: lastLoss, lr, itPerSec, metrics });
    const after = {
      ...ctx,
      step,
      loss: lastLoss,
      metrics,
      run: opts.run,
      checkpoint,
      log: (r: Record<string, unknown>) => opts.run.log(r),
    };
    let stop: StopReason | undefined;
    // every hook sees the step even when an earlier one asked to stop (its checkpoint still runs)
    for (const h of hooks) {
      const r = await h.afterStep?.(after);
      if (r && !stop) stop = r.stop;
    }
    if (stop) {
      stoppedBy = stop;
      break;
    }
  }
  await checkpoint([opts.run.last]);
  optimizer.dispose();
  for (const h of hooks) await h.end?.();
  return {
    steps: step,
    seconds: (performance.now() - t0) / 1000,
    finalLoss: lastLoss,
    ...Object.assign({}, ...hooks.map((h) => h.summary?.() ?? {})),
    stoppedBy,
    peakRssMb: peakRss / 2 ** 20,
  };
}
