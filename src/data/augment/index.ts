/**
 * Point-cloud augmentations: pure functions on typed arrays with a seeded RNG, a typed registry
 * that configs name them through, and the pipeline runner (see docs/augmentation.md).
 */
export * from '../../core/rng.js';
export * from '../../core/affine.js';
export * from './state.js';
export * from './factory.js';
export * from './geometric.js';
export * from './elastic.js';
export * from './chromatic.js';
export * from './subset.js';
export * from './boxes.js';
export * from './registry.js';
export * from './recipes.js';
