/**
 * What `pointcontrast info` reports: backend, threads, SIMD, versions, preflight result.
 */
import * as tf from '@tensorflow/tfjs';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import type { BackendInfo } from '../backend/select.js';
import { preflight } from './preflight.js';

export interface RuntimeInfo {
  backend: string;
  nativePackage?: string;
  threads: number;
  simd: boolean;
  cores: number;
  node: string;
  versions: { tfjs: string; wasm: string; pointcontrast: string };
  skipped: string[];
  /** 'ok (… ms)' or undefined when skipped. */
  preflight?: string;
}

/** Collects runtime info; runs the preflight unless disabled (throws if it fails). */
export async function collectInfo(
  backend: BackendInfo,
  opts: { preflight?: boolean } = {},
): Promise<RuntimeInfo> {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  let pre: string | undefined;
  if (opts.preflight !== false) {
    const t0 = performance.now();
    preflight();
    pre = `ok (${(performance.now() - t0).toFixed(0)} ms)`;
  }
  return {
    backend: backend.name,
    nativePackage: backend.nativePackage,
    threads: backend.threads,
    simd: backend.simd,
    cores: os.availableParallelism(),
    node: process.version,
    versions: { tfjs: tf.version_core, wasm: version_wasm, pointcontrast: pkg.version },
    skipped: backend.skipped,
    preflight: pre,
  };
}
