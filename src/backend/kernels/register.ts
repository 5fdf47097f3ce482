/**
 * Registers the kernels the framework needs but a backend lacks (idempotent).
 */
import * as tf from '@tensorflow/tfjs';
import { unsortedSegmentSumWasm } from './unsorted-segment-sum.js';

const CUSTOM: tf.KernelConfig[] = [unsortedSegmentSumWasm];

/** Registers the custom kernels once; skips any the backend already has. */
export function registerCustomKernels(): void {
  for (const k of CUSTOM) {
    if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
  }
}
