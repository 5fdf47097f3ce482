/**
 * Named augmentation recipes of the papers (reference §1.2, §1.3, §4.2), so a config can say
 * `transforms: scannet-seg` instead of listing eight items. Plain config items, validated like any.
 */

const PI = Math.PI;

/** Recipes by name; each is a list of transform config items. */
export const RECIPES = {
  /** No augmentation (evaluation). */
  none: [],
  /** PointContrast pre-training, per view: centre on the view's mean, rotate about a random axis by U[-π, π). */
  'pointcontrast-pair': [
    { type: 'center', pivot: 'mean' },
    { type: 'rotate', axis: 'random', range: [-PI, PI] },
  ],
  /** CSC pre-training, per view: centre, z ~ U[-π, π], x/y ~ U[-π/64, π/64], in random order. */
  'csc-pair': [
    { type: 'center', pivot: 'mean' },
    { type: 'rotate-xyz', x: [-PI / 64, PI / 64], y: [-PI / 64, PI / 64], z: [-PI, PI], randomOrder: true },
  ],
  /** PointContrast/CSC ScanNet segmentation fine-tuning. */
  'scannet-seg': [
    {
      type: 'elastic',
      params: [
        [0.2, 0.4],
        [0.8, 1.6],
      ],
      p: 0.95,
    },
    { type: 'rotate-xyz', x: [-PI / 64, PI / 64], y: [-PI / 64, PI / 64], z: [-PI, PI], randomOrder: true },
    { type: 'scale', range: [0.9, 1.1] },
    { type: 'dropout', ratio: 0.2, p: 0.2 },
    { type: 'flip', axes: ['x', 'y'], pAxis: 0.5, p: 0.95 },
    { type: 'chromatic-auto-contrast', p: 0.2 },
    { type: 'chromatic-translation', ratio: 0.1, p: 0.95 },
    { type: 'chromatic-jitter', std: 0.05, p: 0.95 },
  ],
  /** PointContrast/CSC S3DIS segmentation fine-tuning (x/y tilt ±π/32, weaker colour changes). */
  's3dis-seg': [
    {
      type: 'elastic',
      params: [
        [0.2, 0.4],
        [0.8, 1.6],
      ],
      p: 0.95,
    },
    { type: 'rotate-xyz', x: [-PI / 32, PI / 32], y: [-PI / 32, PI / 32], z: [-PI, PI], randomOrder: true },
    { type: 'scale', range: [0.9, 1.1] },
    { type: 'dropout', ratio: 0.2, p: 0.2 },
    { type: 'flip', axes: ['x', 'y'], pAxis: 0.5, p: 0.95 },
    { type: 'chromatic-auto-contrast', p: 0.2 },
    { type: 'chromatic-translation', ratio: 0.05, p: 0.95 },
    { type: 'chromatic-jitter', std: 0.005, p: 0.95 },
  ],
} as const satisfies Record<string, readonly object[]>;

/** A recipe name. */
export type RecipeName = keyof typeof RECIPES;

/** The items of a recipe; throws naming the known recipes. */
export function recipe(name: string, where = 'transforms'): unknown[] {
  if (!Object.prototype.hasOwnProperty.call(RECIPES, name)) {
    throw new Error(
      `${where}: unknown recipe '${name}' (expected a list of transforms or one of: ${Object.keys(RECIPES).join(', ')})`,
    );
  }
  return [...structuredClone(RECIPES[name as RecipeName])];
}
