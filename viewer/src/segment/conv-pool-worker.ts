/** One thread of the page's conv kernel pool (conv-pool.ts): serves its slot until terminated. */
import { serveConvSlot } from '../../../src/backend/conv-pool-control.js';

self.onmessage = (
  ev: MessageEvent<{ memory: WebAssembly.Memory; ctrl: SharedArrayBuffer; slot: number }>,
) => {
  const { memory, ctrl, slot } = ev.data;
  serveConvSlot(memory, ctrl, slot);
};
