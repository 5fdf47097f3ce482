/**
 * The legend for the current mode: class rows of the shown labels (gt, pred, or the labels that
 * filter a non-label mode), error rows, a ramp for scalar modes, and an mIoU / accuracy footer.
 */
import type { SceneEntry } from '../../../src/core/viewer-contract.js';
import type { RampName } from '../colors/color-ramp.js';
import type { Rgb } from '../colors/colors.js';
import { errorCounts } from '../colors/error-class.js';
import type { ViewerClass } from '../colors/label-lut.js';
import type { LegendContent } from './legend.js';
import { classRows, errorRows } from './legend-model.js';
import { iouStats, labelHistogram, type IoUStats } from './legend-stats.js';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

/** Colours of correct / wrong / ignored points in error mode. */
export const ERROR_COLORS: [Rgb, Rgb, Rgb] = [
  [140, 199, 140],
  [230, 31, 31],
  [115, 115, 115],
];
/** Colour of points whose label is ignored. */
export const IGNORE_COLOR: Rgb = [115, 115, 115];

/** Label statistics of a scene. */
export interface SceneStats {
  gt?: Map<number, number>;
  pred?: Map<number, number>;
  iou?: IoUStats;
}

/** Histograms and IoU of a cloud's labels. */
export function sceneStats(c: ViewerCloud, ignoreLabel: number): SceneStats {
  const s: SceneStats = {};
  if (c.gt) s.gt = labelHistogram(c.gt);
  if (c.pred) s.pred = labelHistogram(c.pred);
  if (c.gt && c.pred) s.iou = iouStats(c.pred, c.gt, ignoreLabel);
  return s;
}

/** Everything the legend depends on. */
export interface LegendInput {
  cloud: ViewerCloud;
  mode: string;
  split: boolean;
  classes: readonly ViewerClass[];
  ignoreLabel: number;
  stats: SceneStats;
  entry?: SceneEntry;
  hidden: readonly number[];
  hiddenErrors: readonly number[];
  range: [number, number];
  ramp: RampName;
}

/** The legend's content for the current view. */
export function legendContent(inp: LegendInput): LegendContent {
  const { cloud: c, mode, stats } = inp;
  const rows = (counts: Map<number, number> | undefined) =>
    counts
      ? classRows({
          classes: inp.classes,
          ignoreLabel: inp.ignoreLabel,
          counts,
          computedIoU: stats.iou?.perClass,
          indexIoU: inp.entry?.metrics?.per_class,
          hidden: new Set(inp.hidden),
          ignoreColor: IGNORE_COLOR,
        })
      : undefined;
  const mIoU = inp.entry?.metrics?.mIoU;
  const footer =
    mIoU !== undefined
      ? `mIoU ${mIoU.toFixed(1)} (index.json)`
      : stats.iou
        ? `mIoU ${(stats.iou.mIoU * 100).toFixed(1)} (from these points)`
        : undefined;
  if (inp.split) return { title: 'left: ground truth · right: prediction', rows: rows(stats.gt), footer };
  if (mode === 'error' && c.gt && c.pred) {
    const e = errorCounts(c.pred, c.gt, inp.ignoreLabel);
    return {
      title: 'prediction vs ground truth',
      rows: errorRows(e, ERROR_COLORS, new Set(inp.hiddenErrors)),
      footer: [`accuracy ${(e.accuracy * 100).toFixed(1)} %`, footer].filter(Boolean).join(' · '),
    };
  }
  if (mode === 'pred') return { title: 'prediction', rows: rows(stats.pred), footer };
  if (mode === 'gt') return { title: c.pred ? 'ground truth' : 'label', rows: rows(stats.gt), footer };
  const filterRows = rows(stats.gt ?? stats.pred);
  const scalar = mode === 'height' || mode.startsWith('f:');
  const title = mode === 'height' ? 'height (z)' : scalar ? mode.slice(2) : mode === 'rgb' ? 'RGB' : mode;
  return {
    title: filterRows?.length ? `${title} · classes (${stats.gt ? 'ground truth' : 'prediction'})` : title,
    ramp: scalar ? { name: inp.ramp, min: inp.range[0], max: inp.range[1] } : undefined,
    rows: filterRows,
    footer: mode === 'instance' && c.instance ? `${labelHistogram(c.instance).size} instances` : undefined,
  };
}
