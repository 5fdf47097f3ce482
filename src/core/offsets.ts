/**
 * Start offsets of parts laid end to end (batches of scenes, kernel offsets of a map):
 * out[0] = 0, out[i + 1] = out[i] + size(i), so part i spans [out[i], out[i + 1]).
 */
export function prefixOffsets(count: number, size: (i: number) => number): Int32Array {
  const out = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) out[i + 1] = out[i] + size(i);
  return out;
}
