/**
 * The augmentation registry: config items `{ type: 'rotate', axis: 'z', range: [-3.1416, 3.1416], p: 1 }`
 * are validated against the schema registered under their type (a typo is an error naming the key)
 * and built into a pipeline of steps that `augment` runs with one seeded RNG.
 */
import { z } from 'zod';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { GEOMETRIC_TRANSFORMS } from './geometric.js';
import { ELASTIC_TRANSFORMS } from './elastic.js';
import { CHROMATIC_TRANSFORMS } from './chromatic.js';
import { SUBSET_TRANSFORMS } from './subset.js';
import type { TransformFactory } from './factory.js';
import { initialState, type AugmentStep, type AugState } from './state.js';
import type { Rng } from '../../core/rng.js';
import { parseOrThrow } from '../../core/zod-errors.js';
import { recipe, RECIPES } from './recipes.js';

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

/** Adds the issues of one transform item to a zod context, under the item's index. */
function checkItem(item: unknown, i: number, ctx: z.RefinementCtx): TransformConfig | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    ctx.addIssue({ code: 'custom', path: [i], message: "expected an object like { type: 'rotate', … }" });
    return undefined;
  }
  const type = (item as { type?: unknown }).type;
  if (!isName(type)) {
    const known = Object.keys(TRANSFORMS).join(', ');
    ctx.addIssue({
      code: 'custom',
      path: [i, 'type'],
      message: `unknown transform ${JSON.stringify(type)} (expected one of: ${known})`,
    });
    return undefined;
  }
  const res = TRANSFORMS[type].schema.safeParse(item);
  if (res.success) return res.data as TransformConfig;
  for (const iss of res.error.issues) {
    if (iss.code === 'unrecognized_keys')
      for (const k of iss.keys)
        ctx.addIssue({ code: 'custom', path: [i, ...iss.path, k], message: 'unknown key' });
    else ctx.addIssue({ code: 'custom', path: [i, ...iss.path], message: iss.message });
  }
  return undefined;
}

/** A transform list (or a recipe name, expanded), every item validated against its transform's schema. */
export const transformsSchema = z.union([z.string(), z.array(z.unknown())]).transform((raw, ctx) => {
  let items: unknown[];
  if (typeof raw === 'string') {
    if (!Object.prototype.hasOwnProperty.call(RECIPES, raw)) {
      const known = Object.keys(RECIPES).join(', ');
      ctx.addIssue({
        code: 'custom',
        message: `unknown recipe '${raw}' (expected a list of transforms or one of: ${known})`,
      });
      return z.NEVER;
    }
    items = recipe(raw);
  } else items = raw;
  const out = items.map((item, i) => checkItem(item, i, ctx));
  return out.every((c) => c !== undefined) ? (out as TransformConfig[]) : z.NEVER;
});

/** Validates a list of transform config items (or a recipe name); errors name the item, key and problem. */
export function parseTransforms(items: unknown, where = 'transforms'): TransformConfig[] {
  if (typeof items !== 'string' && !Array.isArray(items))
    throw new Error(`${where}: expected a list of transforms or a recipe name`);
  return parseOrThrow(transformsSchema, items, where);
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
