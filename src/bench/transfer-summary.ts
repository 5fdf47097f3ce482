/**
 * The summary of `bench transfer --methods`: per budget × method, mIoU and mAcc mean ± sample
 * std over seeds, trainable parameters, mean wall time per run, and the paired per-seed mIoU
 * gain over `baseline` (mean, std of the paired differences, per-seed values, mean > 2·std).
 */
import type { TransferRun } from './transfer.js';
import { runMethod, type TransferArm } from './transfer-methods.js';

/** Mean and sample standard deviation (0 for fewer than two values). */
export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** Paired per-seed mIoU differences of a method and the baseline (seeds both have). */
export interface PairedGain {
  mean: number;
  /** Sample std of the paired differences. */
  std: number;
  perSeed: { seed: number; gain: number }[];
  /** mean > 2·std with at least two pairs (the reference's bar for a real effect). */
  significant: boolean;
}

/** One row: a method at one budget. */
export interface MethodRow {
  protocol: string;
  budget: number;
  method: string;
  init: string;
  n: number;
  mIoU: { mean: number; std: number };
  mAcc: { mean: number; std: number };
  /** Trainable parameters of a run (null when no run reported it; the mean if runs differ). */
  trainableParams: number | null;
  /** Mean wall time of a run (fine-tuning + evaluation), seconds. */
  seconds: number;
  /** Versus the `baseline` row of the same budget (null for the baseline itself or without one). */
  gain: PairedGain | null;
}

/** Paired differences a − b over the seeds both have. */
export function pairedGain(a: TransferRun[], b: TransferRun[]): PairedGain | null {
  const base = new Map(b.map((r) => [r.seed, r.mIoU]));
  const perSeed = a
    .filter((r) => base.has(r.seed))
    .sort((x, y) => x.seed - y.seed)
    .map((r) => ({ seed: r.seed, gain: r.mIoU - base.get(r.seed)! }));
  if (perSeed.length === 0) return null;
  const { mean, std } = meanStd(perSeed.map((p) => p.gain));
  return { mean, std, perSeed, significant: perSeed.length >= 2 && mean > 2 * std };
}

/** Rows per budget (in run order) × arm (in arm order); cells without runs are left out. */
export function summariseMethods(runs: TransferRun[], arms: TransferArm[]): MethodRow[] {
  const budgets = [...new Set(runs.map((r) => `${r.protocol}|${r.budget}`))];
  const of = (b: string, arm: TransferArm) =>
    runs.filter(
      (r) => `${r.protocol}|${r.budget}` === b && r.init === arm.init && runMethod(r) === arm.method,
    );
  const baseArm = arms.find((a) => a.label === 'baseline');
  const rows: MethodRow[] = [];
  for (const b of budgets) {
    const base = baseArm ? of(b, baseArm) : [];
    for (const arm of arms) {
      const g = of(b, arm);
      if (g.length === 0) continue;
      const params = g.map((r) => r.trainableParams).filter((p): p is number => typeof p === 'number');
      rows.push({
        protocol: g[0].protocol,
        budget: g[0].budget,
        method: arm.label,
        init: arm.init,
        n: g.length,
        mIoU: meanStd(g.map((r) => r.mIoU)),
        mAcc: meanStd(g.map((r) => r.mAcc)),
        trainableParams: params.length ? Math.round(params.reduce((s, p) => s + p, 0) / params.length) : null,
        seconds: meanStd(g.map((r) => r.seconds)).mean,
        gain: arm === baseArm || base.length === 0 ? null : pairedGain(g, base),
      });
    }
  }
  return rows;
}

/** A budget's row label, as in the init table. */
export function budgetLabel(protocol: string, budget: number): string {
  const scenes = `${budget} scene${budget === 1 ? '' : 's'}`;
  return protocol === 'scenes'
    ? `${scenes}, all points`
    : protocol === 'scenes-per-seed'
      ? `${scenes} (other rooms per seed), all points`
      : `${budget} points / scene`;
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

/** `mean ± std`, or the one value and "(1 seed)" where a cell has one run (no spread to show). */
function spread(m: { mean: number; std: number }, n: number): string {
  return n === 1 ? `${m.mean.toFixed(1)} (1 seed)` : `${m.mean.toFixed(1)} ± ${m.std.toFixed(1)}`;
}

/** The markdown table of method rows. */
export function methodsTable(rows: MethodRow[]): string {
  const head = [
    '| budget | method | mIoU | mAcc | trainable params | s / run | gain vs baseline (per seed) | > 2σ |',
    '|---|---|---:|---:|---:|---:|---|:---:|',
  ];
  const lines = rows.map((r) => {
    const g = r.gain;
    const gain = !g
      ? '–'
      : g.perSeed.length === 1
        ? `${signed(g.mean)} (1 seed)`
        : `${signed(g.mean)} ± ${g.std.toFixed(1)} (${g.perSeed.map((p) => signed(p.gain)).join(', ')})`;
    return `| ${budgetLabel(r.protocol, r.budget)} | ${r.method} | ${spread(r.mIoU, r.n)} | ${spread(r.mAcc, r.n)} | ${r.trainableParams ?? '–'} | ${r.seconds.toFixed(0)} | ${gain} | ${g ? (g.significant ? 'yes' : 'no') : '–'} |`;
  });
  return [...head, ...lines].join('\n');
}
