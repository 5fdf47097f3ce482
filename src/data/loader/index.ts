/**
 * The data loader: sources of scenes or pairs → augmented, voxelised, batched tensors' host arrays,
 * with a seeded resumable order and prefetch in worker threads (see docs/augmentation.md).
 */
export * from './types.js';
export * from './config.js';
export * from './order.js';
export * from './features.js';
export * from './build-batch.js';
export * from './batch-maker.js';
export * from './sources.js';
export * from './transfer.js';
export * from './loader.js';
