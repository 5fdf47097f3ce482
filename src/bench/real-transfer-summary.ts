/**
 * The rows of `bench real-transfer`: per (task, init, method, budget), the metric's mean ± sample
 * std over seeds and the paired per-seed gain over `scratch` with plain fine-tuning at the same
 * budget (mean, std of the differences, per seed, mean > 2·std), as `bench transfer` reports.
 */
import { heldOutToken, type Budget } from './real-transfer-plan.js';
import { meanStd, type PairedGain } from './transfer-summary.js';
import type { ComplementValues } from '../tasks/segment/complement.js';

/** Metrics of one eval scene (seg: mIoU, mAcc, allAcc, per-class IoU; det: mAP25, mAP50). */
export interface SceneScore {
  scene: string;
  mIoU?: number;
  mAcc?: number;
  allAcc?: number;
  perClassIoU?: Record<string, number | null>;
  /** Mean IoU of the held-out classes the scene has (or predicts), when classes were held out. */
  heldOutIoU?: number;
  mAP25?: number;
  mAP50?: number;
}

/** One fine-tuning run and its evaluation on every eval scene. */
export interface RealCell {
  task: 'seg' | 'det';
  init: string;
  method: string;
  budget: Budget;
  seed: number;
  /** Classes held out of the training labels (absent: none). */
  heldOut?: readonly string[];
  /**
   * The complement rule's values a complement cell was scored with, and `init` the network that
   * answered for the absent classes when it was not the cell's own init (a cell scored otherwise
   * is rescored).
   */
  complement?: ComplementValues & { init?: string };
  /** Scored with test-time augmentation (segmentation; a cell scored otherwise is rescored). */
  tta?: true;
  /** Per eval scene, each on its own. */
  scenes: SceneScore[];
  /** Averages over the eval scenes. */
  mIoU?: number;
  mAcc?: number;
  allAcc?: number;
  heldOutIoU?: number;
  mAP25?: number;
  mAP50?: number;
  /** Fine-tuning + evaluation wall time. */
  seconds: number;
}

/** One row of the summary. */
export interface RealRow {
  task: 'seg' | 'det';
  init: string;
  method: string;
  budget: Budget;
  /** Classes held out of the training labels (absent: none). */
  heldOut?: readonly string[];
  /** Complement rows: the network that answered for the absent classes, when not the init. */
  complementInit?: string;
  /** Its cells were scored with test-time augmentation. */
  tta?: true;
  n: number;
  seeds: number[];
  mIoU?: { mean: number; std: number };
  /** Mean IoU of the held-out classes on the eval scans, and its gain paired against scratch's. */
  heldOutIoU?: { mean: number; std: number };
  heldOutGain?: PairedGain | null;
  mAcc?: { mean: number; std: number };
  mAP25?: { mean: number; std: number };
  mAP50?: { mean: number; std: number };
  /** Paired against scratch (plain fine-tuning) on the headline metric (seg mIoU, det mAP25); null for scratch itself. */
  gain: PairedGain | null;
  seconds: number;
}

/**
 * The mean IoU of the held-out classes in a per-class table, over those with an IoU (a class
 * neither in the scan nor predicted has none); undefined when none has.
 */
export function heldOutIoU(
  perClass: Record<string, number | null>,
  heldOut: readonly string[],
): number | undefined {
  const v = heldOut.map((c) => perClass[c]).filter((x): x is number => typeof x === 'number');
  return v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
}

type Averaged = 'mIoU' | 'mAcc' | 'allAcc' | 'heldOutIoU' | 'mAP25' | 'mAP50';

/** The averages of per-scene scores (keys present in every scene). */
export function averageScenes(scenes: SceneScore[]): Pick<RealCell, Averaged> {
  const out: Pick<RealCell, Averaged> = {};
  for (const k of ['mIoU', 'mAcc', 'allAcc', 'heldOutIoU', 'mAP25', 'mAP50'] as const) {
    const v = scenes.map((s) => s[k]);
    if (v.length > 0 && v.every((x): x is number => typeof x === 'number'))
      out[k] = v.reduce((a, b) => a + b, 0) / v.length;
  }
  return out;
}

/** The headline metric of a task. */
export const headline = (task: 'seg' | 'det'): 'mIoU' | 'mAP25' => (task === 'seg' ? 'mIoU' : 'mAP25');

/** Paired differences of a headline metric, a − b, over the seeds both have. */
export function pairedCells(
  a: RealCell[],
  b: RealCell[],
  key: 'mIoU' | 'mAP25' | 'heldOutIoU',
): PairedGain | null {
  const base = new Map(b.map((c) => [c.seed, c[key]]));
  const perSeed = a
    .filter((c) => typeof base.get(c.seed) === 'number' && typeof c[key] === 'number')
    .sort((x, y) => x.seed - y.seed)
    .map((c) => ({ seed: c.seed, gain: c[key]! - base.get(c.seed)! }));
  if (perSeed.length === 0) return null;
  const { mean, std } = meanStd(perSeed.map((p) => p.gain));
  return { mean, std, perSeed, significant: perSeed.length >= 2 && mean > 2 * std };
}

/**
 * Rows in the order cells first appear; scratch with plain fine-tuning is each budget's reference
 * (with the same held-out classes, when some were held out).
 */
export function summariseReal(cells: RealCell[]): RealRow[] {
  const groups = new Map<string, RealCell[]>();
  const group = (task: string, init: string, method: string, budget: Budget, ho: string) =>
    `${task}|${init}|${method}|${budget}|${ho}`;
  for (const c of cells) {
    const k = group(c.task, c.init, c.method, c.budget, heldOutToken(c));
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const stat = (g: RealCell[], k: 'mIoU' | 'mAcc' | 'heldOutIoU' | 'mAP25' | 'mAP50') => {
    const v = g.map((c) => c[k]).filter((x): x is number => typeof x === 'number');
    return v.length === g.length ? meanStd(v) : undefined;
  };
  return [...groups.values()].map((g) => {
    const { task, init, method, budget } = g[0];
    const ho = heldOutToken(g[0]);
    const isRef = init === 'scratch' && method === 'baseline';
    const ref = groups.get(group(task, 'scratch', 'baseline', budget, ho)) ?? [];
    const row: RealRow = {
      task,
      init,
      method,
      budget,
      ...(ho ? { heldOut: g[0].heldOut } : {}),
      ...(g[0].complement?.init ? { complementInit: g[0].complement.init } : {}),
      ...(g.every((c) => c.tta) ? { tta: true as const } : {}),
      n: g.length,
      seeds: g.map((c) => c.seed).sort((a, b) => a - b),
      gain: isRef ? null : pairedCells(g, ref, headline(task)),
      seconds: meanStd(g.map((c) => c.seconds)).mean,
    };
    for (const k of ['mIoU', 'mAcc', 'heldOutIoU', 'mAP25', 'mAP50'] as const) {
      const s = stat(g, k);
      if (s) row[k] = s;
    }
    if (row.heldOutIoU) row.heldOutGain = isRef ? null : pairedCells(g, ref, 'heldOutIoU');
    return row;
  });
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;

const meanText = (m: { mean: number; std: number } | undefined, n: number) =>
  m ? (n === 1 ? `${m.mean.toFixed(1)} (1 seed)` : `${m.mean.toFixed(1)} ± ${m.std.toFixed(1)}`) : '–';
const gainText = (g: PairedGain | null | undefined) =>
  !g
    ? '–'
    : `${signed(g.mean)}${g.perSeed.length > 1 ? ` ± ${g.std.toFixed(1)}` : ''} (${g.perSeed.map((p) => signed(p.gain)).join(', ')})`;

/**
 * A markdown table of the rows (one line per row); with classes held out, two more columns: their
 * mean IoU and its gain over scratch.
 */
export function realTable(rows: RealRow[]): string {
  const held = rows.some((r) => r.heldOut);
  const head = [
    `| task | budget | init | method | seeds | mIoU / mAP@0.25 | gain vs scratch (per seed) | > 2σ |${held ? ' held-out classes IoU | its gain (per seed) |' : ''}`,
    `|---|---|---|---|---:|---:|---|:---:|${held ? '---:|---|' : ''}`,
  ];
  const lines = rows.map((r) => {
    const g = r.gain;
    const budget = r.budget === 'all' ? 'all labels' : `${r.budget} pts/scene`;
    const extra = held
      ? ` ${r.heldOut ? `${meanText(r.heldOutIoU, r.n)} (${r.heldOut.join(', ')})` : '–'} | ${gainText(r.heldOutGain)} |`
      : '';
    const method = `${r.method}${r.complementInit ? ` (${r.complementInit} answers)` : ''}${r.tta ? ', TTA' : ''}`;
    return `| ${r.task} | ${budget} | ${r.init} | ${method} | ${r.n} | ${meanText(r.task === 'seg' ? r.mIoU : r.mAP25, r.n)} | ${gainText(g)} | ${g ? (g.significant ? 'yes' : 'no') : '–'} |${extra}`;
  });
  return [...head, ...lines].join('\n');
}
