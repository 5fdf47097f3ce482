/**
 * Deterministic sample order: epoch e visits the dataset in a permutation seeded by (seed, e),
 * cut into batches; the per-sample augmentation seed depends on (seed, epoch, sample, view) only,
 * so any batch can be rebuilt from its (epoch, index) in any thread and a resumed run repeats it.
 */
import { Rng, deriveSeed } from '../../core/rng.js';
import type { LoaderState } from './types.js';

/** Number of batches in one epoch. */
export function batchesPerEpoch(size: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/** The visiting order of epoch `epoch` (identity when not shuffling). */
export function epochOrder(size: number, seed: number, epoch: number, shuffle: boolean): Int32Array {
  const order = new Int32Array(size);
  for (let i = 0; i < size; i++) order[i] = i;
  return shuffle ? new Rng(deriveSeed(seed, epoch, 0x5eed)).shuffle(order) : order;
}

/** Dataset indices of batch `index` of an epoch order. */
export function batchSamples(order: Int32Array, index: number, batchSize: number): Int32Array {
  return order.slice(index * batchSize, Math.min(order.length, (index + 1) * batchSize));
}

/** Seed of the augmentation RNG of one sample (and view: 0, or 0/1 for pairs) in one epoch. */
export function sampleSeed(seed: number, epoch: number, sample: number, view: number): number {
  return deriveSeed(seed, epoch, sample, view);
}

/** The state after `state` (moving to the next epoch when this one is done). */
export function advance(state: LoaderState, perEpoch: number): LoaderState {
  return state.batch + 1 >= perEpoch
    ? { ...state, epoch: state.epoch + 1, batch: 0 }
    : { ...state, batch: state.batch + 1 };
}

/** Checks a saved state against the loader it is resumed into. */
export function checkResumeState(
  state: LoaderState,
  expect: Omit<LoaderState, 'epoch' | 'batch'>,
  perEpoch: number,
): void {
  for (const k of ['seed', 'size', 'batchSize'] as const) {
    if (state[k] !== expect[k]) {
      throw new Error(
        `resume state: ${k} is ${state[k]} but the loader has ${expect[k]} (different data or config)`,
      );
    }
  }
  if (
    !Number.isInteger(state.epoch) ||
    state.epoch < 0 ||
    !Number.isInteger(state.batch) ||
    state.batch < 0 ||
    state.batch >= perEpoch
  ) {
    throw new Error(
      `resume state: epoch ${state.epoch}, batch ${state.batch} is not a position in an epoch of ${perEpoch} batches`,
    );
  }
}
