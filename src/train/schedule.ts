/**
 * Learning-rate schedules as pure functions of the step: constant, exponential (×γ every N
 * steps, PointContrast: 0.99 every 250), poly ((1 − t/(T+1))^p, the segmentation recipe),
 * cosine and one-cycle (cosine warm-up then annealing, Pointcept), with optional linear warm-up.
 */
import { z } from 'zod';

export const scheduleSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('constant'), warmup: z.number().int().min(0).default(0) }),
  z.strictObject({
    type: z.literal('exponential'),
    gamma: z.number().positive().max(1),
    every: z.number().int().positive(),
    warmup: z.number().int().min(0).default(0),
  }),
  z.strictObject({
    type: z.literal('poly'),
    power: z.number().positive().default(0.9),
    warmup: z.number().int().min(0).default(0),
  }),
  z.strictObject({
    type: z.literal('cosine'),
    minLr: z.number().min(0).default(0),
    warmup: z.number().int().min(0).default(0),
  }),
  z.strictObject({
    type: z.literal('one-cycle'),
    pctStart: z.number().min(0).max(1).default(0.05),
    divFactor: z.number().positive().default(10),
    finalDivFactor: z.number().positive().default(1e4),
  }),
]);
export type ScheduleConfig = z.output<typeof scheduleSchema>;

/** Learning rate at step `t` (0-based) of `total` steps for base rate `lr`. */
export function learningRate(cfg: ScheduleConfig, lr: number, t: number, total: number): number {
  if (cfg.type !== 'one-cycle' && cfg.warmup > 0 && t < cfg.warmup) return (lr * (t + 1)) / cfg.warmup;
  switch (cfg.type) {
    case 'constant':
      return lr;
    case 'exponential':
      return lr * cfg.gamma ** Math.floor(t / cfg.every);
    case 'poly':
      return lr * Math.pow(1 - Math.min(t, total) / (total + 1), cfg.power);
    case 'cosine': {
      const p = Math.min(1, (t - cfg.warmup) / Math.max(1, total - cfg.warmup));
      return cfg.minLr + 0.5 * (lr - cfg.minLr) * (1 + Math.cos(Math.PI * p));
    }
    case 'one-cycle': {
      const up = Math.max(1, Math.round(cfg.pctStart * total));
      const start = lr / cfg.divFactor;
      const end = start / cfg.finalDivFactor;
      const cos = (a: number, b: number, p: number) => b + ((a - b) * (1 + Math.cos(Math.PI * p))) / 2;
      return t < up ? cos(start, lr, t / up) : cos(lr, end, Math.min(1, (t - up) / Math.max(1, total - up)));
    }
  }
}
