/**
 * The training loop shared by pre-training and fine-tuning: gradients of a task's loss w.r.t.
 * the trainable parameters, the optimizer and schedule, checkpoints every N steps and at the
 * end (atomic, with optimizer and loader state for exact resume), metrics.jsonl, max-steps and
 * time-budget stops, optional validation with best-checkpoint selection and early stop.
 * Every tensor made in a step is released (the tensor count is flat across steps).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../models/params.js';
import { writeFileAtomic } from '../data/io/atomic-write.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointMeta } from './checkpoint.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { learningRate, type ScheduleConfig } from './schedule.js';
import type { RunDir } from './run-dir.js';

/** What a task computes for one batch. */
export interface StepResult {
  loss: tf.Scalar;
  /** Numbers to log (diagnostics); read inside the step. */
  metrics: Record<string, number>;
}

export interface TrainTask<B> {
  params: Params;
  /** Parameter names to train (default: all trainable parameters). */
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
}

export interface Validation {
  every: number;
  /** Higher is better; returns the score and metrics to log. */
  run(step: number): Promise<{ score: number; metrics: Record<string, number> }>;
  /** Stop after this many validations without improvement (null = never). */
  patience: number | null;
}

export interface TrainOptions {
  maxSteps: number;
  /** Stop after this many seconds of training (null = no limit). */
  timeBudget: number | null;
  checkpointEvery: number;
  logEvery: number;
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
  run: RunDir;
  /** Written into every checkpoint. */
  meta: Omit<CheckpointMeta, 'format' | 'version' | 'createdAt' | 'step'>;
  /** Continue from run/last/. */
  resume: boolean;
  validation?: Validation;
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
  stoppedBy: 'max-steps' | 'time-budget' | 'early-stop';
  peakRssMb: number;
}

interface LoaderRestorable<B> extends BatchStream<B> {
  restore?(state: unknown): Promise<void> | void;
}

/** Keeps only records at or before `step` (a resumed run re-logs what came after). */
function truncateMetrics(path: string, step: number): void {
  if (!existsSync(path)) return;
  const keep = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .filter((l) => {
      try {
        return (JSON.parse(l) as { step?: number }).step! <= step;
      } catch {
        return false;
      }
    });
  writeFileAtomic(path, keep.length ? `${keep.join('\n')}\n` : '');
}

/** Runs the loop; returns a summary. Checkpoints go to run/last (and run/checkpoints/step-N). */
export async function train<B>(
  task: TrainTask<B>,
  stream: LoaderRestorable<B>,
  opts: TrainOptions,
): Promise<TrainSummary> {
  const allParams = task.params.entries();
  const trainNames = new Set(
    task.trainable ?? task.params.specs.filter((s) => s.trainable).map((s) => s.name),
  );
  const trainParams = allParams.filter(([n]) => trainNames.has(n));
  const byVarName = new Map(trainParams.map(([n, v]) => [v.name, n]));
  const optimizer = new Optimizer(opts.optimizer);
  let step = 0;
  let best = -Infinity;
  let bestStep: number | undefined;
  let sinceBest = 0;

  if (opts.resume) {
    if (!opts.run.hasCheckpoint()) throw new Error(`--resume: ${opts.run.path} has no last/ checkpoint`);
    const ck = loadCheckpoint(opts.run.last, true);
    for (const [name, v] of allParams) {
      const t = ck.weights.get(name);
      if (!t) throw new Error(`${ck.dir}: checkpoint lacks parameter ${name}`);
      v.assign(t);
    }
    if (ck.optimizer) optimizer.restore(ck.optimizer, trainParams);
    tf.dispose([...ck.weights.values(), ...(ck.optimizer?.values() ?? [])]);
    step = ck.meta.step;
    const ts = ck.meta.trainState ?? {};
    if (ts.loader !== undefined) await stream.restore?.(ts.loader);
    if (typeof ts.best === 'number') best = ts.best;
    if (typeof ts.bestStep === 'number') bestStep = ts.bestStep;
    if (typeof ts.sinceBest === 'number') sinceBest = ts.sinceBest;
    truncateMetrics(join(opts.run.path, 'metrics.jsonl'), step);
  }

  const checkpoint = async (dirs: string[], metrics?: Record<string, number>) => {
    const meta = {
      ...opts.meta,
      step,
      metrics,
      trainState: { loader: stream.state(), best, bestStep, sinceBest, optimizerStep: optimizer.step },
    };
    const weights = allParams.map(([name, v]) => ({ name, tensor: v as tf.Tensor }));
    const state = optimizer.state();
    try {
      for (const d of dirs) await saveCheckpoint(d, meta, weights, state);
    } finally {
      // the step counter is a fresh scalar; the slots are the optimizer's own variables
      tf.dispose(state.filter((s) => s.name === 'step').map((s) => s.tensor));
    }
  };

  const t0 = performance.now();
  let peakRss = process.memoryUsage().rss;
  let lastLoss = NaN;
  let stoppedBy: TrainSummary['stoppedBy'] = 'max-steps';
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
    let metrics: Record<string, number> = {};
    const { value, grads } = tf.variableGrads(
      () => {
        const r = task.loss(batch, step);
        metrics = r.metrics;
        return r.loss;
      },
      trainParams.map(([, v]) => v),
    );
    const named = new Map<string, tf.Tensor>();
    for (const [vn, g] of Object.entries(grads)) named.set(byVarName.get(vn)!, g);
    const tOpt = performance.now();
    const gradNorm = optimizer.apply(trainParams, named, lr);
    const tEnd = performance.now();
    lastLoss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
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
    let stop = false;
    if (opts.validation && (step % opts.validation.every === 0 || step === opts.maxSteps)) {
      const v = await opts.validation.run(step);
      opts.run.log({ step, validation: true, score: v.score, ...v.metrics });
      if (v.score > best) {
        best = v.score;
        bestStep = step;
        sinceBest = 0;
        await checkpoint([opts.run.best], { score: v.score, ...v.metrics });
      } else if (opts.validation.patience !== null && ++sinceBest >= opts.validation.patience) {
        stoppedBy = 'early-stop';
        stop = true;
      }
    }
    if (step % opts.checkpointEvery === 0 && step < opts.maxSteps)
      await checkpoint([opts.run.stepDir(step), opts.run.last]);
    if (stop) break;
  }
  await checkpoint([opts.run.last]);
  optimizer.dispose();
  return {
    steps: step,
    seconds: (performance.now() - t0) / 1000,
    finalLoss: lastLoss,
    bestScore: bestStep !== undefined ? best : undefined,
    bestStep,
    stoppedBy,
    peakRssMb: peakRss / 2 ** 20,
  };
}
