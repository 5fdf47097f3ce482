/**
 * Which classes colour a scene: a predictions folder brings its own (index.json); a plain scan
 * uses a datasets/*.json label set chosen in the menu, by its ids or by its raw ids (ScanNet's
 * labels.ply stores NYU40 ids), or a generated palette. Also the auto range of scalar modes.
 */
import type { LabelSet, PredictionsIndex } from '../../../src/core/viewer-contract.js';
import type { Rgb } from '../colors/colors.js';
import { finiteRange } from '../colors/color-ramp.js';
import { classesByRawId, type ViewerClass } from '../colors/label-lut.js';
import type { ViewerCloud } from './viewer-cloud.js';

/** Colour of raw ids outside the chosen label set (one shared legend row). */
export const UNMAPPED_RAW: Rgb = [105, 105, 105];

/** Classes and ignore label of a scene. */
export interface SceneClasses {
  classes: ViewerClass[];
  ignoreLabel: number;
}

/**
 * Resolves the classes: `index` wins; else `choice` is `<set>` (by id), `<set>:raw` (by raw id; every
 * other id 0..255 becomes "other … ids") or null / unknown (no classes: generated palette).
 */
export function resolveSceneClasses(
  index: PredictionsIndex | undefined,
  labelSets: readonly LabelSet[],
  choice: string | null,
): SceneClasses {
  if (index) return { classes: index.classes, ignoreLabel: index.ignoreLabel };
  const [name, by] = (choice ?? '').split(':');
  const set = labelSets.find((s) => s.name === name);
  if (!set) return { classes: [], ignoreLabel: -1 };
  if (by !== 'raw') return { classes: set.classes, ignoreLabel: set.ignoreLabel };
  const mapped = classesByRawId(set.classes);
  const ids = new Set(mapped.map((c) => c.id));
  const other = `other ${set.rawName ?? 'raw'} ids (not in ${set.name})`;
  const unmapped: ViewerClass[] = [];
  for (let id = 0; id < 256; id++) if (!ids.has(id)) unmapped.push({ id, name: other, color: UNMAPPED_RAW });
  return { classes: [...mapped, ...unmapped], ignoreLabel: -1 };
}

/** Menu entries {label: value} for choosing a label set for plain scans. */
export function labelSetMenu(labelSets: readonly LabelSet[]): Record<string, string> {
  const menu: Record<string, string> = { 'generated palette': '' };
  for (const s of labelSets) {
    menu[s.name] = s.name;
    if (s.rawName) menu[`${s.name} by ${s.rawName} id`] = `${s.name}:raw`;
  }
  return menu;
}

/** Default scalar range of a mode: confidence 0..1, height the z extent, a field its finite range. */
export function autoRange(cloud: ViewerCloud | null, mode: string): [number, number] {
  if (!cloud || mode === 'f:confidence') return [0, 1];
  if (mode === 'height') return [cloud.bounds.min[2], cloud.bounds.max[2]];
  const r = mode.startsWith('f:') ? finiteRange(cloud.scalars[mode.slice(2)] ?? []) : null;
  if (!r) return [0, 1];
  return r[0] === r[1] ? [r[0] - 0.5, r[1] + 0.5] : r;
}
