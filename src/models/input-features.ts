/**
 * The network's input feature layouts and their widths: what a model's stem expects, so the
 * loader (data/), checkpoints and the browser agree on one table.
 */
import { z } from 'zod';

/**
 * Input feature layouts: constant ones ×3 (PointContrast), RGB/255 − 0.5 (CSC, fine-tuning), plus
 * normals, or a constant 1 followed by RGB/255 − 0.5 (fine-tuning a geometry-only backbone with
 * colour: see loadBackbone's stem adaptation).
 */
export const FEATURE_DIMS = { ones: 3, rgb: 3, 'rgb-normals': 6, 'ones-rgb': 4 } as const;

/** A feature layout name. */
export type FeatureMode = keyof typeof FEATURE_DIMS;

/** The schema of a feature layout name (loader configs, checkpoints). */
export const featureModeSchema = z.enum(Object.keys(FEATURE_DIMS) as [FeatureMode, ...FeatureMode[]]);
