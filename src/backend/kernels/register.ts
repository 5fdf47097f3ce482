/**
 * Registers the kernels the framework needs but a backend lacks (idempotent).
 */
import * as tf from '@tensorflow/tfjs';
import { unsortedSegmentSumCpu, unsortedSegmentSumWasm } from './unsorted-segment-sum.js';
import { registerIdentityKernel } from './identity-wasm.js';

const CUSTOM: tf.KernelConfig[] = [unsortedSegmentSumWasm];
/** Kernels that replace a backend's own (much slower) implementation. */
const REPLACE: tf.KernelConfig[] = [unsortedSegmentSumCpu];
let replaced = false;

/** Registers the custom kernels once; skips any the backend already has. */
export function registerCustomKernels(): void {
  for (const k of CUSTOM) {
    if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
  }
  if (!replaced) {
    replaced = true;
    for (const k of REPLACE) {
      if (tf.getKernel(k.kernelName, k.backendName)) tf.unregisterKernel(k.kernelName, k.backendName);
      tf.registerKernel(k);
    }
    registerIdentityKernel(true);
  }
}
