/**
 * Loads an exported segmentation model over HTTP (manifest.json → model.json → weight files, the
 * layout `pointcontrast export` writes and `view` serves under /model/) and rebuilds the network
 * with the shared platform-free code (src/models), on the active tfjs backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebModelManifest } from '../../../src/models/web-model-manifest.js';
import { fetchJson, fetchManifest, fetchOk } from './fetch-manifest.js';
import { buildFromSpec, modelSpec, type ModelSpec } from '../../../src/models/checkpoint-model.js';
import type { Res16UNet } from '../../../src/models/res16unet.js';

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

/** Downloads the weights and builds the network; `progress` gets the fraction of bytes received. */
export async function loadBrowserModel(base: string, progress: (f: number) => void): Promise<BrowserModel> {
  const manifest = await fetchManifest(base);
  const modelUrl = new URL(manifest.model, base).href;
  const json = await fetchJson(modelUrl);
  const spec = modelSpec(json as Parameters<typeof modelSpec>[0], modelUrl);
  const groups = json.weightsManifest as WeightsGroup[] | undefined;
  if (!Array.isArray(groups) || !groups.length) throw new Error(`${modelUrl}: no weightsManifest`);
  const weights = new Map<string, tf.Tensor>();
  let received = 0;
  try {
    for (const g of groups) {
      const parts: Uint8Array[] = [];
      for (const p of g.paths) {
        const buf = new Uint8Array(await (await fetchOk(new URL(p, modelUrl).href)).arrayBuffer());
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
          `${modelUrl}: weight files hold ${all.byteLength} bytes, the manifest describes ${expected}`,
        );
      for (const [k, t] of Object.entries(tf.io.decodeWeights(all.buffer, g.weights))) weights.set(k, t);
    }
    const net = buildFromSpec(spec, weights, modelUrl);
    return { manifest, spec, net };
  } finally {
    tf.dispose([...weights.values()]);
  }
}
