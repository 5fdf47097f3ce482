/**
 * What the legend lists for a colour mode: class rows (colour, name, point count, IoU, hidden),
 * error rows (correct / wrong / ignored), and what a click on a row hides. Classes that share a
 * name (e.g. every raw id outside a label set) form one row. Pure, so it is unit-tested.
 */
import type { Rgb } from '../colors/colors.js';
import {
  classColor,
  className,
  LUT_SIZE,
  OTHER_COLOR,
  OTHER_NAME,
  type ViewerClass,
} from '../colors/label-lut.js';

/** One clickable legend row. */
export interface LegendRow {
  /** Class ids of the row (-1 for ignore), or the error kind 0..2 in error mode. */
  ids: number[];
  name: string;
  color: Rgb;
  count: number;
  /** IoU in percent, when known. */
  iou?: number;
  /** True when every id of the row is hidden. */
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
 * Rows for every class that has points (or is hidden), in order of their first id; ids with the
 * same name share a row (IoU only for single-id rows); all ignored points (negative or the ignore
 * label) share one 'ignore' row with id -1, last.
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
  const byName = new Map<string, LegendRow>();
  for (const id of [...ids].sort((a, b) => a - b)) {
    const big = id >= LUT_SIZE; // no texel of its own: shares the "other" colour and row
    const name = big ? OTHER_NAME : className(id, byId, inp.ignoreLabel);
    const count = inp.counts.get(id) ?? 0;
    const row = byName.get(name);
    if (row) {
      row.ids.push(id);
      row.count += count;
      row.hidden &&= inp.hidden.has(id);
      delete row.iou;
      continue;
    }
    const color = big ? OTHER_COLOR : classColor(id, byId);
    const r: LegendRow = { ids: [id], name, color, count, hidden: inp.hidden.has(id) };
    const fromIndex = inp.indexIoU?.[name];
    const computed = inp.computedIoU?.get(id);
    if (fromIndex !== undefined) r.iou = fromIndex;
    else if (computed !== undefined) r.iou = computed * 100;
    byName.set(name, r);
  }
  const rows = [...byName.values()];
  if (ignored > 0 || inp.hidden.has(-1)) {
    rows.push({
      ids: [-1],
      name: 'ignore',
      color: inp.ignoreColor,
      count: ignored,
      hidden: inp.hidden.has(-1),
    });
  }
  return rows;
}

/** Rows of the error mode. */
export function errorRows(
  counts: { correct: number; wrong: number; ignored: number },
  colors: readonly [Rgb, Rgb, Rgb],
  hidden: ReadonlySet<number>,
): LegendRow[] {
  return (['correct', 'wrong', 'ignored'] as const).map((name, k) => ({
    ids: [k],
    name,
    color: colors[k],
    count: counts[name],
    hidden: hidden.has(k),
  }));
}

/**
 * The hidden ids after a click on `row` among `rows`: a plain click hides the row (shows it when
 * it is hidden); isolate hides every other row, or shows all again when `row` is already alone.
 */
export function clickHidden(
  hidden: ReadonlySet<number>,
  rows: readonly (readonly number[])[],
  row: readonly number[],
  isolate: boolean,
): Set<number> {
  const next = new Set(hidden);
  if (!isolate) {
    const allHidden = row.every((id) => hidden.has(id));
    for (const id of row) {
      if (allHidden) next.delete(id);
      else next.add(id);
    }
    return next;
  }
  const inRow = new Set(row);
  const others = rows.flat().filter((id) => !inRow.has(id));
  const alone = row.every((id) => !hidden.has(id)) && others.every((id) => hidden.has(id));
  if (alone) return new Set();
  for (const id of row) next.delete(id);
  for (const id of others) next.add(id);
  return next;
}

/**
 * The state change of a click on `row` of `rows`: the hidden error kinds when the rows are error
 * rows, else the hidden classes (see clickHidden).
 */
export function legendClick(
  state: { hidden: readonly number[]; hiddenErrors: readonly number[] },
  errorRowsShown: boolean,
  row: LegendRow,
  rows: readonly LegendRow[],
  isolate: boolean,
): { hidden: number[] } | { hiddenErrors: number[] } {
  const groups = rows.map((r) => r.ids);
  if (errorRowsShown)
    return { hiddenErrors: [...clickHidden(new Set(state.hiddenErrors), groups, row.ids, isolate)] };
  return { hidden: [...clickHidden(new Set(state.hidden), groups, row.ids, isolate)] };
}
