/**
 * One switch for the pre-training speed-ups that must not change results: the direct log-sum-exp
 * gradient, the copy-free wasm Identity, the sorted-merge kernel maps and the conv kernels that
 * take two pairs at a time. Off gives the earlier code paths, so `bench pretrain --baseline` and
 * the loss-curve test compare both in one process.
 */
import { setDirectLogSumExp } from '../losses/log-sum-exp.js';
import { setNeighbourSearch } from '../sparse/kernel-map.js';
import { setSharedIdentity } from '../backend/kernels/identity-wasm.js';
import {
  DEFAULT_BLOCKING,
  ONE_PAIR_BLOCKING,
  setConvBlocking,
} from '../backend/wasm-kernels/conv-kernels.js';

/** Turns these fast paths on (default) or off. */
export function setFastPaths(on: boolean): void {
  setDirectLogSumExp(on);
  setSharedIdentity(on);
  setNeighbourSearch(on ? 'auto' : 'hash');
  setConvBlocking(on ? DEFAULT_BLOCKING : ONE_PAIR_BLOCKING);
}
