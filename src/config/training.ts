/**
 * The config sections every training task shares: the loop (steps, time budget, checkpoint and
 * log cadence), the optimizer and the lr schedule. Task schemas (tasks/<task>/schema.ts) embed them.
 */
import { z } from 'zod';

/** The `train:` section: how long to train and how often to checkpoint and log. */
export const trainLoopSchema = z.strictObject({
  maxSteps: z.number().int().min(0),
  /** Seconds; null = no limit. */
  timeBudget: z.number().positive().nullable().default(null),
  checkpointEvery: z.number().int().positive().default(500),
  logEvery: z.number().int().positive().default(10),
});
