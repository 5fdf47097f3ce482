/**
 * The code paths a benchmark compares, as one explicit options object instead of global
 * switches. Every field's default is the fast path (FAST_PATHS); `bench pretrain --baseline`
 * passes the earlier code paths (src/bench/fast-paths.ts), which give the same results, and
 * `bench sparse` names a neighbour search and a kernel blocking. A CoordinateManager carries the
 * sparse fields to every op of its batch; the contrastive loss takes `directLogSumExp`; the
 * caller registers the Identity kernel `sharedIdentity` names (tfjs's kernel registry is
 * process-wide).
 */
import { DEFAULT_BLOCKING, type ConvBlocking } from '../backend/wasm-kernels/conv-kernels.js';
import type { NeighbourSearch } from './kernel-map.js';

export interface CodePaths {
  /** How submanifold kernel maps find neighbours: sorted merge where rows sort ('auto'), or hashing. */
  search: NeighbourSearch;
  /** Blocking of the fused wasm conv kernels (every blocking gives the same bits). */
  blocking: ConvBlocking;
  /** The hand-written log-sum-exp gradient of the InfoNCE logits (else tf.logSumExp and autodiff). */
  directLogSumExp: boolean;
  /** The copy-free wasm Identity kernel (else tfjs's copying one). */
  sharedIdentity: boolean;
}

/** The paths the sparse ops of one batch take (what a CoordinateManager carries). */
export type SparsePaths = Pick<CodePaths, 'search' | 'blocking'>;

/** The default: every fast path. */
export const FAST_PATHS: Readonly<CodePaths> = Object.freeze({
  search: 'auto',
  blocking: DEFAULT_BLOCKING,
  directLogSumExp: true,
  sharedIdentity: true,
});
