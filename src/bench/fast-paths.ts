/**
 * The earlier code paths the speed-ups replaced, as one CodePaths object for a before/after
 * (`bench pretrain --baseline`, and the loss-curve test that runs both in one process): the
 * tf.logSumExp gradient by autodiff, tfjs's copying wasm Identity, hash-only kernel maps and the
 * one-pair conv kernels (8 accumulators per pair). They give the same results as FAST_PATHS.
 */
import type { CodePaths } from '../sparse/code-paths.js';

export const BASELINE_PATHS: Readonly<CodePaths> = Object.freeze({
  search: 'hash',
  blocking: Object.freeze({ rows: 1, block: 8, unroll: 1 }),
  directLogSumExp: false,
  sharedIdentity: false,
});
