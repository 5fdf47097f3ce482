/**
 * The facts shown for a picked point: index (and file index), coordinates, ground truth,
 * prediction, whether it is right, confidence, instance, colour and every scalar field.
 */
import { errorKind, ERROR_KINDS } from '../colors/error-class.js';
import { className, type ViewerClass } from '../colors/label-lut.js';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(5).replace(/\.?0+$/, ''));

/** [label, value] rows for point `i` of `cloud`. */
export function pickDetails(
  cloud: ViewerCloud,
  i: number,
  byId: ReadonlyMap<number, ViewerClass>,
  ignoreLabel: number,
): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['point', `#${cloud.order[i]} in file`]);
  const p = cloud.positions;
  rows.push(['xyz', [p[i * 3], p[i * 3 + 1], p[i * 3 + 2]].map((v) => v.toFixed(3)).join(', ')]);
  const label = (id: number): string => `${className(id, byId, ignoreLabel)} (${id})`;
  if (cloud.gt) rows.push([cloud.pred ? 'ground truth' : 'label', label(cloud.gt[i])]);
  if (cloud.pred) rows.push(['prediction', label(cloud.pred[i])]);
  if (cloud.gt && cloud.pred)
    rows.push(['result', ERROR_KINDS[errorKind(cloud.pred[i], cloud.gt[i], ignoreLabel)]]);
  const conf = cloud.scalars.confidence;
  if (conf) rows.push(['confidence', conf[i].toFixed(3)]);
  if (cloud.instance) rows.push(['instance', String(cloud.instance[i])]);
  if (cloud.colors) rows.push(['rgb', Array.from(cloud.colors.subarray(i * 3, i * 3 + 3)).join(', ')]);
  for (const [name, values] of Object.entries(cloud.scalars)) {
    if (name !== 'confidence') rows.push([name, num(values[i])]);
  }
  return rows;
}
