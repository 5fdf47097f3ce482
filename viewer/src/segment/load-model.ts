/**
 * Loads an exported segmentation model over HTTP (manifest.json → model.json → weight files, the
 * layout `pointcontrast export` writes and `view` serves under /model/) and rebuilds the network
 * with the shared platform-free code (src/models) on the active tfjs backend. The downloaded bytes
 * are kept, so the network can be rebuilt on another backend without downloading again.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebModelManifest } from '../../../src/models/web-model-manifest.js';
import { fetchJson, fetchManifest, fetchOk } from './fetch-manifest.js';
import { buildFromSpec, modelSpec, type ModelSpec } from '../../../src/models/checkpoint-model.js';
import type { Res16UNet } from '../../../src/models/res16unet.js';

/** A model's description and weight bytes, independent of any backend. */
export interface FetchedModel {
  manifest: WebModelManifest;
  spec: ModelSpec;
  /** model.json's URL (named in errors). */
  url: string;
  groups: { bytes: ArrayBuffer; weights: tf.io.WeightsManifestEntry[] }[];
}

/** A network ready for inference with its description. */
export interface BrowserModel {
  manifest: WebModelManifest;
  spec: ModelSpec;
  net: Res16UNet;
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

/** Downloads the description and the weights; `progress` gets the fraction of bytes received. */
export async function fetchBrowserModel(base: string, progress: (f: number) => void): Promise<FetchedModel> {
  const manifest = await fetchManifest(base);
  const url = new URL(manifest.model, base).href;
  const json = await fetchJson(url);
  const spec = modelSpec(json as Parameters<typeof modelSpec>[0], url);
  const groups = json.weightsManifest as WeightsGroup[] | undefined;
  if (!Array.isArray(groups) || !groups.length) throw new Error(`${url}: no weightsManifest`);
  let received = 0;
  const out: FetchedModel['groups'] = [];
  for (const g of groups) {
    const parts: Uint8Array[] = [];
    for (const p of g.paths) {
      const buf = new Uint8Array(await (await fetchOk(new URL(p, url).href)).arrayBuffer());
      parts.push(buf);
      received += buf.byteLength;
      progress(Math.min(1, received / Math.max(1, manifest.weightsBytes)));
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

/** Builds the network on the active backend (weights are copied, the bytes stay). */
export function buildBrowserModel(m: FetchedModel): BrowserModel {
  const weights = new Map<string, tf.Tensor>();
  try {
    for (const g of m.groups)
      for (const [k, t] of Object.entries(tf.io.decodeWeights(g.bytes, g.weights))) weights.set(k, t);
    return { manifest: m.manifest, spec: m.spec, net: buildFromSpec(m.spec, weights, m.url) };
  } finally {
    tf.dispose([...weights.values()]);
  }
}
