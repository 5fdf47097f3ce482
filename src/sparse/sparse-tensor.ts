/**
 * SparseTensor: features [N×C] (a tf.Tensor) on integer coordinates at a tensor stride, with
 * the coordinate manager that owns the kernel maps. Coordinates are held in non-enumerable
 * fields so tf.tidy only walks the feature tensor when a SparseTensor is returned from it.
 */
import type * as tf from '@tensorflow/tfjs';
import { CoordSet } from './coord-set.js';
import { CoordinateManager } from './coordinate-manager.js';

export class SparseTensor {
  readonly features: tf.Tensor2D;
  readonly #manager: CoordinateManager;
  readonly #stride: number;

  constructor(features: tf.Tensor2D, manager: CoordinateManager, stride = 1) {
    const n = manager.coordsAt(stride).size;
    if (features.shape[0] !== n) {
      throw new RangeError(
        `SparseTensor: ${features.shape[0]} feature rows for ${n} coordinates at stride ${stride}`,
      );
    }
    this.features = features;
    this.#manager = manager;
    this.#stride = stride;
  }

  /** Builds a stride-1 tensor from N×4 (b, x, y, z) coordinates and [N×C] features. */
  static fromCoords(coords: Int32Array, features: tf.Tensor2D, batchSize?: number): SparseTensor {
    return new SparseTensor(features, new CoordinateManager(CoordSet.fromBatchCoords(coords, batchSize)));
  }

  get manager(): CoordinateManager {
    return this.#manager;
  }
  get stride(): number {
    return this.#stride;
  }
  get coordSet(): CoordSet {
    return this.#manager.coordsAt(this.#stride);
  }
  get size(): number {
    return this.features.shape[0];
  }
  get channels(): number {
    return this.features.shape[1];
  }

  /** Same coordinates, new features. */
  withFeatures(features: tf.Tensor2D): SparseTensor {
    return new SparseTensor(features, this.#manager, this.#stride);
  }

  /** Same manager, other stride (features must match that level's coordinates). */
  atStride(features: tf.Tensor2D, stride: number): SparseTensor {
    return new SparseTensor(features, this.#manager, stride);
  }
}
