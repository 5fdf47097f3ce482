/**
 * The augmentation registry: config items `{ type: 'rotate', axis: 'z', range: [-3.1416, 3.1416], p: 1 }`
 * are validated against the schema registered under their type (a typo is an error naming the key)
 * and built into a pipeline of steps that `augment` runs with one seeded RNG.
 */
import type { z } from 'zod';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { GEOMETRIC_TRANSFORMS } from './geometric.js';
import { ELASTIC_TRANSFORMS } from './elastic.js';
import { CHROMATIC_TRANSFORMS } from './chromatic.js';
import { SUBSET_TRANSFORMS } from './subset.js';
import type { TransformFactory } from './factory.js';
import { initialState, type AugmentStep, type AugState } from './state.js';
import type { Rng } from '../../core/rng.js';
import { formatZodIssues } from '../../core/zod-errors.js';
import { recipe } from './recipes.js';

/** Every augmentation, by the `type` a config names it with. */
export const TRANSFORMS = {
  ...GEOMETRIC_TRANSFORMS,
  ...ELASTIC_TRANSFORMS,
  ...CHROMATIC_TRANSFORMS,
  ...SUBSET_TRANSFORMS,
} as const satisfies Record<string, TransformFactory>;

/** A registered transform name. */
export type TransformName = keyof typeof TRANSFORMS;

/** A validated config item (defaults filled in). */
export type TransformConfig = {
  [K in TransformName]: z.output<(typeof TRANSFORMS)[K]['schema']>;
}[TransformName];

function isName(t: unknown): t is TransformName {
  return typeof t === 'string' && Object.prototype.hasOwnProperty.call(TRANSFORMS, t);
}

/** Validates a list of transform config items (or a recipe name); errors name the item, key and problem. */
export function parseTransforms(items: unknown, where = 'transforms'): TransformConfig[] {
  if (typeof items === 'string') items = recipe(items, where);
  if (!Array.isArray(items)) throw new Error(`${where}: expected a list of transforms or a recipe name`);
  return items.map((item: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new Error(`${at}: expected an object like { type: 'rotate', … }`);
    }
    const type = (item as { type?: unknown }).type;
    if (!isName(type)) {
      throw new Error(
        `${at}.type: unknown transform ${JSON.stringify(type)} (expected one of: ${Object.keys(TRANSFORMS).join(', ')})`,
      );
    }
    const res = TRANSFORMS[type].schema.safeParse(item);
    if (!res.success) throw new Error(formatZodIssues(at, res.error.issues));
    return res.data as TransformConfig;
  });
}

/** Builds the steps of a validated pipeline. */
export function buildPipeline(configs: readonly TransformConfig[]): AugmentStep[] {
  return configs.map((c) => (TRANSFORMS[c.type] as TransformFactory).create(c));
}

/** Runs the steps in order on a cloud (the input arrays are never modified). */
export function augment(cloud: PointCloud, steps: readonly AugmentStep[], rng: Rng): AugState {
  let s = initialState(cloud);
  for (const step of steps) s = step(s, rng);
  return s;
}
