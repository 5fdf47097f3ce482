/**
 * Loads an exported segmentation model over HTTP (manifest.json → model.json → weight files, the
 * layout `pointcontrast export` writes and `view` serves under /model/) and rebuilds the network
 * with the shared platform-free code (src/models) on the active tfjs backend. The downloaded bytes
 * are kept, so the network can be rebuilt on another backend without downloading again.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebModelManifest } from '../../../src/models/web-model-manifest.js';
import { fetchJson, fetchManifest, fetchOk } from './fetch-manifest.js';
import {
  buildFromSpec,
  classesNamed,
  modelSpec,
  type ModelSpec,
} from '../../../src/models/checkpoint-model.js';
import type { Res16UNet } from '../../../src/models/res16unet.js';

/** A model's description and weight bytes, independent of any backend. */
export interface FetchedModel {
  manifest: WebModelManifest;
  spec: ModelSpec;
  /** model.json's URL (named in errors). */
  url: string;
  groups: { bytes: ArrayBuffer; weights: tf.io.WeightsManifestEntry[] }[];
  /** The complement rule's init (manifest.complement's folder), when the manifest names one. */
  complement?: FetchedModel;
}

/** A network ready for inference with its description. */
export interface BrowserModel {
  manifest: WebModelManifest;
  spec: ModelSpec;
  net: Res16UNet;
  /** The complement rule's init network, built beside it. */
  complement?: BrowserModel;
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/**
 * Downloads the description and the weights, and those of the complement rule's init when the
 * manifest names one; `progress` gets the fraction of all bytes received.
 */
export async function fetchBrowserModel(base: string, progress: (f: number) => void): Promise<FetchedModel> {
  const manifest = await fetchManifest(base);
  if (!manifest.complement)
    return fetchWeights(base, manifest, (b) => progress(b / Math.max(1, manifest.weightsBytes)));
  const initBase = new URL(manifest.complement.model, base).href;
  const init = await fetchManifest(initBase);
  const names = (m: WebModelManifest) => m.classes.map((c) => c.name);
  if (!classesNamed(init.classes, names(manifest)))
    throw new Error(
      `${initBase}manifest.json: the complement rule's init predicts ${names(init).join(', ')}; the model ${names(manifest).join(', ')}`,
    );
  const total = Math.max(1, manifest.weightsBytes + init.weightsBytes);
  const main = await fetchWeights(base, manifest, (b) => progress(b / total));
  const complement = await fetchWeights(initBase, init, (b) => progress((manifest.weightsBytes + b) / total));
  return { ...main, complement };
}

/** model.json and the weight files of one web model; `received` gets the bytes so far. */
async function fetchWeights(
  base: string,
  manifest: WebModelManifest,
  received: (bytes: number) => void,
): Promise<FetchedModel> {
  const url = new URL(manifest.model, base).href;
  const json = await fetchJson(url);
  const spec = modelSpec(json as Parameters<typeof modelSpec>[0], url);
  const groups = json.weightsManifest as WeightsGroup[] | undefined;
  if (!Array.isArray(groups) || !groups.length) throw new Error(`${url}: no weightsManifest`);
  let bytes = 0;
  const out: FetchedModel['groups'] = [];
  for (const g of groups) {
    const parts: Uint8Array[] = [];
    for (const p of g.paths) {
      const buf = new Uint8Array(await (await fetchOk(new URL(p, url).href)).arrayBuffer());
      parts.push(buf);
      bytes += buf.byteLength;
      received(Math.min(bytes, manifest.weightsBytes));
    }
    const all = new Uint8Array(parts.reduce((s, b) => s + b.byteLength, 0));
    let o = 0;
    for (const b of parts) {
      all.set(b, o);
      o += b.byteLength;
    }
    const expected = g.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (all.byteLength !== expected)
      throw new Error(
        `${url}: weight files hold ${all.byteLength} bytes, the manifest describes ${expected}`,
      );
    out.push({ bytes: all.buffer, weights: g.weights });
  }
  return { manifest, spec, url, groups: out };
}

/** Builds the network (and the complement rule's init) on the active backend (weights are copied, the bytes stay). */
export function buildBrowserModel(m: FetchedModel): BrowserModel {
  const built = buildNetwork(m);
  if (!m.complement) return built;
  try {
    return { ...built, complement: buildNetwork(m.complement) };
  } catch (e) {
    built.net.params.dispose();
    throw e;
  }
}

/** Releases the network(s) of {@link buildBrowserModel}. */
export function disposeBrowserModel(m: BrowserModel): void {
  m.net.params.dispose();
  m.complement?.net.params.dispose();
}

function buildNetwork(m: FetchedModel): BrowserModel {
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const g of m.groups)
      for (const [k, t] of Object.entries(tf.io.decodeWeights(g.bytes, g.weights))) weights.set(k, t);
    return { manifest: m.manifest, spec: m.spec, net: buildFromSpec(m.spec, weights, m.url) };
  } finally {
    tf.dispose([...weights.values()]);
  }
}
