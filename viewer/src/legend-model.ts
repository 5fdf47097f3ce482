/**
 * What the legend lists for a colour mode: class rows (colour, name, point count, IoU, hidden),
 * error rows (correct / wrong / ignored), or a ramp with its range. Pure, so it is unit-tested.
 */
import type { Rgb } from './colors.js';
import { classColor, className, type ViewerClass } from './label-lut.js';

/** One clickable legend row. */
export interface LegendRow {
  /** Class id (-1 for ignore), or error kind 0..2 in error mode. */
  id: number;
  name: string;
  color: Rgb;
  count: number;
  /** IoU in percent, when known. */
  iou?: number;
  hidden: boolean;
}

/** Inputs for class rows. */
export interface ClassRowsInput {
  classes: readonly ViewerClass[];
  ignoreLabel: number;
  /** Points per label value of the shown labels. */
  counts: ReadonlyMap<number, number>;
  /** IoU per class id, 0..1, computed from the points. */
  computedIoU?: ReadonlyMap<number, number>;
  /** IoU per class name in percent, from index.json metrics (preferred). */
  indexIoU?: Readonly<Record<string, number>>;
  hidden: ReadonlySet<number>;
  ignoreColor: Rgb;
}

/**
 * Rows for every class that has points (or is hidden), sorted by id; all ignored points (negative
 * or the ignore label) share one 'ignore' row with id -1.
 */
export function classRows(inp: ClassRowsInput): LegendRow[] {
  const byId = new Map(inp.classes.map((c) => [c.id, c]));
  let ignored = 0;
  const ids = new Set<number>();
  for (const [id, n] of inp.counts) {
    if (id < 0 || id === inp.ignoreLabel) ignored += n;
    else if (n > 0) ids.add(id);
  }
  for (const id of inp.hidden) if (id >= 0 && id !== inp.ignoreLabel) ids.add(id);
  const rows: LegendRow[] = [...ids]
    .sort((a, b) => a - b)
    .map((id) => {
      const name = className(id, byId, inp.ignoreLabel);
      const row: LegendRow = {
        id,
        name,
        color: classColor(id, byId),
        count: inp.counts.get(id) ?? 0,
        hidden: inp.hidden.has(id),
      };
      const fromIndex = inp.indexIoU?.[name];
      const computed = inp.computedIoU?.get(id);
      if (fromIndex !== undefined) row.iou = fromIndex;
      else if (computed !== undefined) row.iou = computed * 100;
      return row;
    });
  if (ignored > 0 || inp.hidden.has(-1)) {
    rows.push({ id: -1, name: 'ignore', color: inp.ignoreColor, count: ignored, hidden: inp.hidden.has(-1) });
  }
  return rows;
}

/** Rows of the error mode. */
export function errorRows(
  counts: { correct: number; wrong: number; ignored: number },
  colors: readonly [Rgb, Rgb, Rgb],
  hidden: ReadonlySet<number>,
): LegendRow[] {
  return (['correct', 'wrong', 'ignored'] as const).map((name, id) => ({
    id,
    name,
    color: colors[id],
    count: counts[name],
    hidden: hidden.has(id),
  }));
}

/** The set of hidden ids after a click: plain click toggles; isolate shows only `id` (or all again). */
export function clickHidden(
  hidden: ReadonlySet<number>,
  allIds: readonly number[],
  id: number,
  isolate: boolean,
): Set<number> {
  if (!isolate) {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  }
  const alreadyIsolated = !hidden.has(id) && allIds.every((x) => x === id || hidden.has(x));
  return alreadyIsolated ? new Set() : new Set(allIds.filter((x) => x !== id));
}
