/**
 * Neuron grouping for k-shot fine-tuning (after Yoo et al., AAAI 2018): each conv's output
 * channels (a neuron = its k³×Cin kernel slice plus the following BN's γ_c, β_c) are clustered by
 * their standardised activation patterns with cosine k-means into ⌈ρ·C⌉ groups, and every member's
 * gradient is replaced by its group's mean. The paper's RL search of group counts is replaced by
 * one ratio ρ (a declared deviation); a random grouping with the same sizes is the control.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/rng.js';
import type { Res16UNet } from './res16unet.js';
import type { BatchNorm, Conv, ConvDown, ConvUp, Mode } from './layers.js';
import type { SparseTensor } from '../sparse/sparse-tensor.js';

/** A conv and the BN that follows it: the unit whose output channels are grouped. */
export interface NeuronLayer {
  /** Conv weight parameter name ([k³×Cin×Cout]). */
  conv: string;
  /** BN parameter prefix (`<bn>.gamma`, `<bn>.beta`); also the Mode.observe layer name. */
  bn: string;
  channels: number;
}

/** A layer with its channel → group assignment (groups numbered 0..count−1). */
export interface GroupedLayer extends NeuronLayer {
  groups: Int32Array;
  count: number;
}

/** Every (conv, BN) pair of a Res16UNet; the final 1×1 layer (the head) is not grouped. */
export function neuronLayers(net: Res16UNet): NeuronLayer[] {
  const out: NeuronLayer[] = [];
  const push = (c: Conv | ConvDown | ConvUp, bn: BatchNorm) =>
    out.push({ conv: `${c.name}.weight`, bn: bn.name, channels: bn.gamma.shape[0] });
  push(net.stem, net.stemBn);
  for (const stage of [...net.down, ...net.up]) {
    push(stage.conv, stage.bn);
    for (const b of stage.blocks) {
      push(b.conv1, b.bn1);
      push(b.conv2, b.bn2);
      if (b.proj) push(b.proj.conv, b.proj.bn);
    }
  }
  return out;
}

/**
 * Records every BN output of one pass on fixed voxels (at most `maxRows` seeded rows per
 * layer) as channel-major [C×M] arrays, keyed by BN name. Runs in training mode without
 * updating running statistics unless `mode` says otherwise.
 */
export function recordActivations(
  net: Res16UNet,
  x: SparseTensor,
  maxRows: number,
  seed: number,
  mode: Mode = { training: true, updateStats: false },
): Map<string, { data: Float32Array; rows: number }> {
  const out = new Map<string, { data: Float32Array; rows: number }>();
  tf.tidy(() => {
    return net.features(x, {
      ...mode,
      observe: (name, f) => {
        const [n, c] = f.shape;
        const v = f.dataSync();
        const idx = sampleRows(n, maxRows, seed);
        const m = idx.length;
        const data = new Float32Array(c * m);
        for (let r = 0; r < m; r++) for (let j = 0; j < c; j++) data[j * m + r] = v[idx[r] * c + j];
        out.set(name, { data, rows: m });
      },
    }).features;
  });
  return out;
}

/** min(k, n) distinct row indices in increasing order (seeded partial shuffle). */
function sampleRows(n: number, k: number, seed: number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return new Rng(seed).sample(n, k).sort();
}

/**
 * Standardises each row of X [C×M] (zero mean, unit variance), then scales it to unit length,
 * so dot products are Pearson correlations; constant rows become zero.
 */
export function standardizeRows(x: Float32Array, c: number, m: number): Float64Array {
  const out = new Float64Array(c * m);
  for (let i = 0; i < c; i++) {
    let mean = 0;
    for (let r = 0; r < m; r++) mean += x[i * m + r];
    mean /= m;
    let ss = 0;
    for (let r = 0; r < m; r++) ss += (x[i * m + r] - mean) ** 2;
    const inv = ss > 1e-24 ? 1 / Math.sqrt(ss) : 0;
    for (let r = 0; r < m; r++) out[i * m + r] = (x[i * m + r] - mean) * inv;
  }
  return out;
}

/**
 * Cosine (spherical) k-means of the rows of X [C×M] into k groups: standardised rows, k-means++
 * seeding on 1 − cos, assignment to the most similar centroid (ties: lowest index), centroids =
 * normalised member sums, an emptied cluster re-seeded with the worst-fitting row. k ≥ C gives
 * each row its own group. Returns the assignment (groups 0..k'−1 numbered by first member).
 */
export function cosineKMeans(
  x: Float32Array,
  c: number,
  m: number,
  k: number,
  seed: number,
  iters = 100,
): Int32Array {
  if (k >= c) return Int32Array.from({ length: c }, (_, i) => i);
  if (k < 1) throw new RangeError(`k-means: k must be ≥ 1, got ${k}`);
  const z = standardizeRows(x, c, m);
  const dot = (a: Float64Array, ai: number, b: Float64Array, bi: number) => {
    let s = 0;
    for (let r = 0; r < m; r++) s += a[ai * m + r] * b[bi * m + r];
    return s;
  };
  const rng = new Rng(seed);
  const cent = new Float64Array(k * m);
  const setCentroid = (g: number, row: number) => cent.set(z.subarray(row * m, row * m + m), g * m);
  // k-means++: the first centre uniformly, then ∝ the distance 1 − cos to the nearest centre.
  setCentroid(0, rng.int(c));
  const near = new Float64Array(c).fill(Infinity);
  for (let g = 1; g < k; g++) {
    let total = 0;
    for (let i = 0; i < c; i++) {
      near[i] = Math.min(near[i], Math.max(0, 1 - dot(z, i, cent, g - 1)));
      total += near[i];
    }
    let pick = 0;
    if (total > 0) {
      let u = rng.next() * total;
      while (pick < c - 1 && u >= near[pick]) u -= near[pick++];
    } else pick = rng.int(c);
    setCentroid(g, pick);
  }
  const assign = new Int32Array(c).fill(-1);
  const sim = new Float64Array(c);
  for (let it = 0; it < iters; it++) {
    let changed = false;
    for (let i = 0; i < c; i++) {
      let best = 0;
      let bs = -Infinity;
      for (let g = 0; g < k; g++) {
        const s = dot(z, i, cent, g);
        if (s > bs) {
          bs = s;
          best = g;
        }
      }
      sim[i] = bs;
      if (assign[i] !== best) {
        assign[i] = best;
        changed = true;
      }
    }
    const sizes = new Int32Array(k);
    for (let i = 0; i < c; i++) sizes[assign[i]]++;
    for (let g = 0; g < k; g++) {
      if (sizes[g] > 0) continue;
      // Re-seed an empty cluster with the row least similar to its centroid (from a group of ≥ 2).
      let worst = -1;
      for (let i = 0; i < c; i++) if (sizes[assign[i]] > 1 && (worst < 0 || sim[i] < sim[worst])) worst = i;
      sizes[assign[worst]]--;
      assign[worst] = g;
      sizes[g] = 1;
      sim[worst] = Infinity;
      changed = true;
    }
    cent.fill(0);
    for (let i = 0; i < c; i++) for (let r = 0; r < m; r++) cent[assign[i] * m + r] += z[i * m + r];
    for (let g = 0; g < k; g++) {
      let n = 0;
      for (let r = 0; r < m; r++) n += cent[g * m + r] ** 2;
      n = Math.sqrt(n);
      if (n > 0) for (let r = 0; r < m; r++) cent[g * m + r] /= n;
    }
    if (!changed) break;
  }
  return renumber(assign);
}

/** Renumbers groups in order of first appearance (a canonical labelling). */
function renumber(assign: Int32Array): Int32Array {
  const map = new Map<number, number>();
  return assign.map((g) => {
    if (!map.has(g)) map.set(g, map.size);
    return map.get(g)!;
  });
}

/** The control: the same group sizes with channels assigned at random (seeded shuffle). */
export function randomGrouping(assign: Int32Array, seed: number): Int32Array {
  return renumber(new Rng(seed).shuffle(Int32Array.from(assign)));
}

/** G = ⌈ρ·C⌉ groups (at least 1, at most C). */
export function groupCount(ratio: number, channels: number): number {
  if (!(ratio > 0 && ratio <= 1)) throw new RangeError(`neuron-group ratio must be in (0, 1], got ${ratio}`);
  return Math.min(channels, Math.max(1, Math.ceil(ratio * channels - 1e-9)));
}

/**
 * Groups every layer from recorded activations (cosine k-means, or the random control with the
 * k-means group sizes). Seeds derive from `seed` and the layer index.
 */
export function buildNeuronGroups(
  layers: readonly NeuronLayer[],
  activations: Map<string, { data: Float32Array; rows: number }>,
  ratio: number,
  seed: number,
  random = false,
): GroupedLayer[] {
  return layers.map((l, i) => {
    const a = activations.get(l.bn);
    if (!a) throw new Error(`neuron groups: no activations recorded for ${l.bn}`);
    const k = groupCount(ratio, l.channels);
    let groups = cosineKMeans(a.data, l.channels, a.rows, k, seed + 7919 * i);
    if (random) groups = randomGrouping(groups, seed + 7919 * i + 1);
    return { ...l, groups, count: Math.max(...groups) + 1 };
  });
}

/** Replaces each value along the last axis (channels) by its group's mean, per leading index. */
export function groupMeanLastAxis(values: Float32Array, groups: Int32Array, count: number): Float32Array {
  const c = groups.length;
  if (values.length % c !== 0) throw new Error(`group mean: ${values.length} values for ${c} channels`);
  const size = new Float64Array(count);
  for (let j = 0; j < c; j++) size[groups[j]]++;
  const out = new Float32Array(values.length);
  const sums = new Float64Array(count);
  for (let r = 0; r < values.length; r += c) {
    sums.fill(0);
    for (let j = 0; j < c; j++) sums[groups[j]] += values[r + j];
    for (let j = 0; j < c; j++) out[r + j] = sums[groups[j]] / size[groups[j]];
  }
  return out;
}

/**
 * The gradient transform: for every grouped layer, the conv weight's and the BN γ/β gradients
 * are replaced by group means along the output channel. Returns a new map; replaced tensors
 * are new (the caller still owns and disposes the originals); other entries pass through.
 */
export function tieGradients(
  grads: Map<string, tf.Tensor>,
  layers: readonly GroupedLayer[],
): Map<string, tf.Tensor> {
  const out = new Map(grads);
  for (const l of layers) {
    for (const name of [l.conv, `${l.bn}.gamma`, `${l.bn}.beta`]) {
      const g = grads.get(name);
      if (!g) continue;
      if (g.shape[g.shape.length - 1] !== l.channels)
        throw new Error(
          `neuron groups: ${name} has ${g.shape.join('×')}, want ${l.channels} output channels`,
        );
      out.set(name, tf.tensor(groupMeanLastAxis(g.dataSync() as Float32Array, l.groups, l.count), g.shape));
    }
  }
  return out;
}
