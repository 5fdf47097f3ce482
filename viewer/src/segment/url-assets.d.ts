// Vite's `?url` imports: the URL of the emitted asset (used for the tfjs wasm binaries).
declare module '*?url' {
  const url: string;
  export default url;
}

// tfjs wasm's pthread entry source (CommonJS, no typings of its own).
declare module '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js' {
  export const wasmWorkerContents: string;
}
