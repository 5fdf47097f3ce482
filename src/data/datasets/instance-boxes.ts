/**
 * Axis-aligned boxes of object instances from labelled points: the min/max of each instance's
 * points, class = the instance's train id; only classes selected by the label map get boxes.
 */
import type { PreparedBox } from '../prepared/codec.js';

/**
 * Boxes for every instance id ≥ 0 whose class (`instanceLabel[id]`, a train id) is in
 * `boxClasses`; sorted by instance id. Instances without points get no box.
 */
export function instanceBoxes(
  positions: Float32Array,
  instances: Int32Array,
  instanceLabel: ArrayLike<number>,
  boxClasses: readonly boolean[],
): PreparedBox[] {
  let maxInst = -1;
  for (let i = 0; i < instances.length; i++) if (instances[i] > maxInst) maxInst = instances[i];
  const m = maxInst + 1;
  const lo = new Float64Array(m * 3).fill(Infinity);
  const hi = new Float64Array(m * 3).fill(-Infinity);
  for (let i = 0; i < instances.length; i++) {
    const k = instances[i];
    if (k < 0) continue;
    for (let a = 0; a < 3; a++) {
      const v = positions[i * 3 + a];
      if (v < lo[k * 3 + a]) lo[k * 3 + a] = v;
      if (v > hi[k * 3 + a]) hi[k * 3 + a] = v;
    }
  }
  const boxes: PreparedBox[] = [];
  for (let k = 0; k < m; k++) {
    const label = k < instanceLabel.length ? instanceLabel[k] : -1;
    if (label < 0 || !boxClasses[label] || lo[k * 3] > hi[k * 3]) continue;
    const c = (a: number) => (lo[k * 3 + a] + hi[k * 3 + a]) / 2;
    const s = (a: number) => hi[k * 3 + a] - lo[k * 3 + a];
    boxes.push({ label, instance: k, center: [c(0), c(1), c(2)], size: [s(0), s(1), s(2)] });
  }
  return boxes;
}

/**
 * The train id of each instance as the majority of its points' labels (ignored labels < 0 do
 * not vote); -1 for instances with no labelled point. Index = instance id.
 */
export function instanceMajorityLabels(
  instances: Int32Array,
  labels: Int32Array,
  numClasses: number,
): Int32Array {
  let maxInst = -1;
  for (let i = 0; i < instances.length; i++) if (instances[i] > maxInst) maxInst = instances[i];
  const votes = new Int32Array((maxInst + 1) * numClasses);
  for (let i = 0; i < instances.length; i++) {
    const k = instances[i];
    const l = labels[i];
    if (k >= 0 && l >= 0 && l < numClasses) votes[k * numClasses + l]++;
  }
  const out = new Int32Array(maxInst + 1).fill(-1);
  for (let k = 0; k <= maxInst; k++) {
    let best = 0;
    for (let c = 0; c < numClasses; c++) {
      if (votes[k * numClasses + c] > best) {
        best = votes[k * numClasses + c];
        out[k] = c;
      }
    }
  }
  return out;
}
