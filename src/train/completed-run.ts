/**
 * A run resumed after it already reached train.maxSteps has nothing left to train; its summary
 * comes from what the run recorded: the step of last/, the best validation in its train state,
 * and the loss metrics.jsonl logged at that step.
 */
import { readCheckpointMeta } from './checkpoint.js';
import type { RunDir } from './run-dir.js';
import type { TrainSummary } from './trainer.js';

/** The training loss the run logged at `step` (the last such record). */
export function loggedLoss(run: RunDir, step: number): number {
  let loss: number | undefined;
  for (const r of run.metrics()) if (r.step === step && typeof r.loss === 'number') loss = r.loss;
  if (loss === undefined) throw new Error(`${run.metricsFile}: no training loss logged at step ${step}`);
  return loss;
}

/** The summary of a run whose last/ checkpoint is at or past `maxSteps`; undefined when it has steps left. */
export function completedRunSummary(run: RunDir, maxSteps: number): TrainSummary | undefined {
  if (!run.hasCheckpoint()) return undefined;
  const { meta } = readCheckpointMeta(run.last);
  if (meta.step < maxSteps) return undefined;
  const ts = meta.trainState ?? {};
  return {
    steps: meta.step,
    seconds: 0,
    finalLoss: meta.step === 0 ? NaN : loggedLoss(run, meta.step),
    ...(typeof ts.bestStep === 'number' && typeof ts.best === 'number'
      ? { bestScore: ts.best, bestStep: ts.bestStep }
      : {}),
    stoppedBy: 'max-steps',
    peakRssMb: process.memoryUsage().rss / 2 ** 20,
    alreadyComplete: true,
  };
}
