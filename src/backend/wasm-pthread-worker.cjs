'use strict';
// Entry point of one emscripten pthread of tfjs-backend-wasm's threaded-SIMD build, run in a node
// worker_thread. The stock backend hands the pthread code to workers as a blob URL, which node's
// Worker refuses; this file gives it a real path and the CommonJS globals the code expects.
const {
  wasmWorkerContents,
} = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

global.require = require;
global.__filename = __filename;
// The exported source keeps "\n" escapes as raw newlines inside string literals; re-escape them
// (tfjs does the same before building its blob).
(0, eval)(wasmWorkerContents.replace(/\n/g, '\\n'));
