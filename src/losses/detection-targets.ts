/**
 * Training targets of the voting detector, from instance labels and boxes: per voxel, whether it
 * belongs to a boxed object, that object's class and box centre (the vote target); per proposal,
 * VoteNet's assignment by distance from its voted centre to the nearest ground-truth centre
 * (< near: positive, > far: negative, between: ignored) and the matched box.
 */

/** A ground-truth box with the instance it was made from (train-id label, metres). */
export interface TargetBox {
  label: number;
  instance: number;
  center: readonly [number, number, number] | number[];
  size: readonly [number, number, number] | number[];
}

/** Head class index of each train id (-1 = not a detection class). */
export function classIndexTable(classIds: readonly number[]): Int32Array {
  const max = classIds.reduce((m, c) => Math.max(m, c), -1);
  const lut = new Int32Array(max + 1).fill(-1);
  classIds.forEach((c, i) => (lut[c] = i));
  return lut;
}

const classOf = (lut: Int32Array, label: number) => (label >= 0 && label < lut.length ? lut[label] : -1);

/** Smallest box side used for log-size targets (flat objects such as pictures). */
export const MIN_TARGET_SIZE = 0.01;

/** Per-voxel targets. */
export interface VoxelTargets {
  /** 1 where the voxel's instance has a box of a detection class. */
  positive: Uint8Array;
  /** Head class index of positives, -1 elsewhere. */
  cls: Int32Array;
  /** Centre of the voxel's box (metres), N×3; 0 for non-positives. */
  center: Float32Array;
  count: number;
}

/**
 * Vote targets: voxel r of item b (rows offsets[b]…offsets[b+1]−1) is positive when its instance
 * has a box in boxes[b] whose label is a detection class; its targets are that box's centre
 * and class.
 */
export function voxelTargets(
  instances: Int32Array,
  offsets: Int32Array,
  boxes: readonly (readonly TargetBox[])[],
  classIds: readonly number[],
): VoxelTargets {
  const n = instances.length;
  const lut = classIndexTable(classIds);
  const positive = new Uint8Array(n);
  const cls = new Int32Array(n).fill(-1);
  const center = new Float32Array(n * 3);
  let count = 0;
  for (let b = 0; b + 1 < offsets.length; b++) {
    const list = boxes[b] ?? [];
    let maxInst = -1;
    for (const box of list) if (box.instance > maxInst) maxInst = box.instance;
    const byInstance = new Int32Array(maxInst + 1).fill(-1);
    list.forEach((box, i) => {
      if (box.instance >= 0 && classOf(lut, box.label) >= 0) byInstance[box.instance] = i;
    });
    for (let r = offsets[b]; r < offsets[b + 1]; r++) {
      const k = instances[r];
      const bi = k >= 0 && k <= maxInst ? byInstance[k] : -1;
      if (bi < 0) continue;
      const box = list[bi];
      positive[r] = 1;
      cls[r] = classOf(lut, box.label);
      for (let d = 0; d < 3; d++) center[r * 3 + d] = box.center[d];
      count++;
    }
  }
  return { positive, cls, center, count };
}

/** Per-proposal targets. */
export interface ProposalTargets {
  /** 1 positive, 0 negative, −1 ignored. */
  label: Int8Array;
  /** Matched box (nearest centre) of positives: centre N×3, log(size / prior) N×3, class index. */
  center: Float32Array;
  logSize: Float32Array;
  cls: Int32Array;
  positives: number;
  negatives: number;
}

/**
 * Assigns proposals (voted centres `base`, P×3, of batch items `item`) to the nearest box centre
 * of their item: distance < near → positive, > far (or no box) → negative, else ignored.
 */
export function proposalTargets(
  base: Float32Array,
  item: Int32Array,
  boxes: readonly (readonly TargetBox[])[],
  classIds: readonly number[],
  opts: { near: number; far: number; sizePrior: number },
): ProposalTargets {
  const p = item.length;
  const lut = classIndexTable(classIds);
  const usable = boxes.map((list) => list.filter((b) => classOf(lut, b.label) >= 0));
  const out: ProposalTargets = {
    label: new Int8Array(p),
    center: new Float32Array(p * 3),
    logSize: new Float32Array(p * 3),
    cls: new Int32Array(p).fill(-1),
    positives: 0,
    negatives: 0,
  };
  for (let i = 0; i < p; i++) {
    let best = -1;
    let bestD = Infinity;
    (usable[item[i]] ?? []).forEach((b, j) => {
      const d = Math.hypot(
        base[i * 3] - b.center[0],
        base[i * 3 + 1] - b.center[1],
        base[i * 3 + 2] - b.center[2],
      );
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    if (bestD < opts.near) {
      const b = usable[item[i]][best];
      out.label[i] = 1;
      out.cls[i] = classOf(lut, b.label);
      for (let d = 0; d < 3; d++) {
        out.center[i * 3 + d] = b.center[d];
        out.logSize[i * 3 + d] = Math.log(Math.max(b.size[d], MIN_TARGET_SIZE) / opts.sizePrior);
      }
      out.positives++;
    } else if (bestD > opts.far) {
      out.label[i] = 0;
      out.negatives++;
    } else out.label[i] = -1;
  }
  return out;
}
