/**
 * Small fetch helpers of the segmentation feature, kept free of tfjs so the page can look for a
 * model (manifest.json) without loading the network code.
 */
import {
  WEB_MODEL_FORMAT,
  webComplementProblem,
  type WebModelManifest,
} from '../../../src/models/web-model-manifest.js';

/** fetch that throws an Error naming the URL and the HTTP status. */
export async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`${url}: ${(e as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.text()).trim().slice(0, 300);
    throw new Error(`${url}: HTTP ${res.status}${body ? ` ${body}` : ''}`);
  }
  return res;
}

/** A JSON object from `url`. */
export async function fetchJson(url: string): Promise<Record<string, unknown>> {
  const res = await fetchOk(url);
  try {
    return (await res.json()) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${url}: not JSON (${(e as Error).message})`);
  }
}

/** Reads and checks `<base>manifest.json` only (small; tells whether a model is there). */
export async function fetchManifest(base: string): Promise<WebModelManifest> {
  const url = new URL('manifest.json', base).href;
  const m = await fetchJson(url);
  if (m.format !== WEB_MODEL_FORMAT || m.version !== 1)
    throw new Error(
      `${url}: format '${String(m.format)}' v${String(m.version)} is not ${WEB_MODEL_FORMAT} v1`,
    );
  if (m.task !== 'segmentation') throw new Error(`${url}: task '${String(m.task)}' is not segmentation`);
  if (m.complement !== undefined) {
    const problem = webComplementProblem(m.complement, Array.isArray(m.classes) ? m.classes.length : 0);
    if (problem) throw new Error(`${url}: ${problem}`);
  }
  return m as unknown as WebModelManifest;
}
