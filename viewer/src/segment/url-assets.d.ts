// Vite's `?url` imports: the URL of the emitted asset (used for the tfjs wasm binaries).
declare module '*?url' {
  const url: string;
  export default url;
}
