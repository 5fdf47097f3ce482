/**
 * The network's input feature layouts, each a list of named channels: what a model's stem expects,
 * so the loader (data/), checkpoints, stem adaptation and the browser agree on one table.
 */
import { z } from 'zod';

/**
 * One input channel: a constant 1, a colour channel (value/255 − 0.5), a normal component, or the
 * height above the floor in metres (z minus the cloud's floor level: see floorLevel).
 */
export type FeatureChannel = 'one' | 'r' | 'g' | 'b' | 'nx' | 'ny' | 'nz' | 'height';

/**
 * Input feature layouts: constant ones ×3 (PointContrast), RGB/255 − 0.5 (CSC, fine-tuning), plus
 * normals, a constant 1 followed by RGB/255 − 0.5 (fine-tuning a geometry-only backbone with
 * colour: see adaptStem), and the same two with the height above the floor (gravity-aligned
 * rooms only: z up, the floor among the lowest points).
 */
export const FEATURE_CHANNELS = {
  ones: ['one', 'one', 'one'],
  rgb: ['r', 'g', 'b'],
  'rgb-normals': ['r', 'g', 'b', 'nx', 'ny', 'nz'],
  'ones-rgb': ['one', 'r', 'g', 'b'],
  'ones-height': ['one', 'height'],
  'ones-rgb-height': ['one', 'r', 'g', 'b', 'height'],
} as const satisfies Record<string, readonly FeatureChannel[]>;

/** A feature layout name. */
export type FeatureMode = keyof typeof FEATURE_CHANNELS;

/** The width of each layout. */
export const FEATURE_DIMS = Object.fromEntries(
  Object.entries(FEATURE_CHANNELS).map(([k, v]) => [k, v.length]),
) as { readonly [K in FeatureMode]: (typeof FEATURE_CHANNELS)[K]['length'] };

/** The schema of a feature layout name (loader configs, checkpoints). */
export const featureModeSchema = z.enum(Object.keys(FEATURE_CHANNELS) as [FeatureMode, ...FeatureMode[]]);

/** Whether a layout reads the cloud's colours / normals, and whether it has the height channel. */
export function featureNeeds(mode: FeatureMode): { colors: boolean; normals: boolean; height: boolean } {
  const ch: readonly FeatureChannel[] = FEATURE_CHANNELS[mode];
  return { colors: ch.includes('r'), normals: ch.includes('nx'), height: ch.includes('height') };
}

/** True when every channel of layout `from` is also in `to` (the stem can be widened: adaptStem). */
export function carriesChannels(from: FeatureMode, to: FeatureMode): boolean {
  const dst: readonly FeatureChannel[] = FEATURE_CHANNELS[to];
  return FEATURE_CHANNELS[from].every((ch: FeatureChannel) => dst.includes(ch));
}

/**
 * True when a network that read `from` can start a training that reads `to`: the same layout, a
 * wider one naming every channel it had (adaptStem widens the stem), or one as wide (the stem is
 * loaded as it is, as PointContrast fine-tunes its constant-input backbones on colour).
 */
export function startsFrom(from: FeatureMode, to: FeatureMode): boolean {
  // the same layout carries its own channels
  return carriesChannels(from, to) || FEATURE_DIMS[from] === FEATURE_DIMS[to];
}
