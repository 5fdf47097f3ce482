/**
 * What the ensemble experiment scripts share (complement-ensemble.ts, pseudo-label.ts,
 * calibrated-complement.ts): a fine-tuned network and its synthetic init loaded side by side,
 * class names to train ids, per-point probabilities, and the discounted complement rule.
 */
import { initBackend } from '../src/backend/select.js';
import { loadModel, type LoadedModel } from '../src/train/load-model.js';
import { trainIdsOfNames } from '../src/data/label-map.js';
import { modelInference, pointProbabilities } from '../src/tasks/segment/infer.js';
import type { PointCloud } from '../src/geometry/point-cloud.js';

export interface NetworkPair {
  ft: LoadedModel;
  base: LoadedModel;
  names: string[];
  k: number;
  /** Train ids of a comma-separated class list ('-': none); unknown names are an error. */
  classIds(list: string): number[];
  /** A network's probabilities of every point (N×k). */
  probs(m: LoadedModel, cloud: PointCloud): Float32Array;
}

/** Starts the backend and loads FINETUNED and INIT. */
export async function loadNetworkPair(finetuned: string, init: string): Promise<NetworkPair> {
  await initBackend({});
  const ft = loadModel(finetuned);
  const base = loadModel(init);
  const names = ft.classes.map((c) => c.name);
  const k = names.length;
  return {
    ft,
    base,
    names,
    k,
    classIds: (list) => (list === '-' ? [] : trainIdsOfNames(ft.classes, list.split(','), list)),
    probs: (m, cloud) => pointProbabilities(m.net, cloud, modelInference(m)),
  };
}

/**
 * The discounted complement rule at point i (docs/benchmarks.md, the complement ensemble): the
 * most likely absent class a* (by q) wins when t·q(a*) > max over present c of f(c)·(1 − t·Σ_absent q),
 * else the best present class (by f); `score` is the winning side's value.
 */
export function discountedChoice(
  f: Float32Array,
  q: Float32Array,
  k: number,
  absent: ReadonlySet<number>,
  i: number,
  t: number,
): { pred: number; score: number } {
  let present = -1;
  let absentBest = -1;
  let mass = 0;
  for (let c = 0; c < k; c++) {
    if (absent.has(c)) {
      mass += q[i * k + c];
      if (absentBest < 0 || q[i * k + c] > q[i * k + absentBest]) absentBest = c;
    } else if (present < 0 || f[i * k + c] > f[i * k + present]) present = c;
  }
  const presentScore = f[i * k + present] * (1 - Math.min(1, t * mass));
  const absentScore = absentBest >= 0 ? t * q[i * k + absentBest] : -1;
  return absentScore > presentScore
    ? { pred: absentBest, score: absentScore }
    : { pred: present, score: presentScore };
}
