/**
 * Messages between the viewer and its segmentation worker (segment-worker.ts): load a model on a
 * backend, segment one file's bytes; progress by stage; results as transferred typed arrays.
 */
import type { ViewerCloud } from '../scenes/viewer-cloud.js';
import type { WebModelManifest } from '../../../src/models/web-model-manifest.js';

/** Backends the page can ask for; 'auto' picks the best one that initialises. */
export const BROWSER_BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
/** A backend request. */
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** Main thread → worker. */
export type SegmentRequest =
  | {
      id: number;
      kind: 'init';
      modelUrl: string;
      backend: BrowserBackend;
      /** Testing aid (?simulateFailure=): this backend's output is replaced by zeros, as tfjs webgpu's synchronous read once returned. */
      simulateFailure: string | null;
      /** wasm threads (?threads=N); null: every core when cross-origin isolated, else 1. */
      threads: number | null;
    }
  | { id: number; kind: 'segment'; buffer: ArrayBuffer; fileName: string; maxPoints: number; runs?: number };

/** The model once loaded, and where it runs. */
export interface ModelInfo {
  manifest: WebModelManifest;
  backend: string;
  /** Why better backends were not used (e.g. "webgpu: no adapter"), or failed on a file. */
  skipped: string[];
  /** What the backend runs on: "2 threads", the WebGPU adapter or WebGL renderer ("… (software)"). */
  device: string;
  /** wasm: its threads; cpu: 1; GPU backends: null. */
  threads: number | null;
  /** Milliseconds to download the weights and build the network. */
  loadMs: number;
  /** How the sparse engine moves rows: the engine's WebAssembly SIMD kernels, JS loops, or tf ops (GPU). */
  rowOps: 'wasm-simd' | 'js' | 'tf-ops';
}

/** Time per stage of one segmentation, in ms (`network` is the last of `runs` runs). */
export interface SegmentTimings {
  parse: number;
  network: number;
  /** Every run's network time (the first one includes shader compilation / warm-up). */
  runs: number[];
  prepare: number;
}

/** A segmented file: the cloud to draw, the labels in file order, and the PLY to download. */
export interface SegmentResult {
  cloud: ViewerCloud;
  /** Predicted class per point in file order. */
  pred: Int32Array;
  voxels: number;
  /** Where it ran; differs from the model's first backend when `auto` moved on after a failure. */
  info: ModelInfo;
  timings: SegmentTimings;
  /** The scan with `pred` and `confidence`, as binary PLY in `predict`'s layout. */
  ply: ArrayBuffer;
}

/** Worker → main thread. */
export type SegmentReply =
  | { id: number; kind: 'progress'; stage: string; fraction?: number }
  | { id: number; kind: 'ready'; info: ModelInfo }
  | ({ id: number; kind: 'done' } & SegmentResult)
  | { id: number; kind: 'error'; message: string };
