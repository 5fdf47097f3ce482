/**
 * Web worker: fetches (or receives) a PLY/PCD/XYZ file, parses it with the project's own
 * platform-free parsers, converts and shuffles it, and transfers the typed arrays back.
 */
import { parsePointCloud } from '../../../src/data/formats/index.js';
import { cloudBuffers, toViewerCloud } from './viewer-cloud.js';
import type { WorkerReply, WorkerRequest } from './loader.js';

function post(msg: WorkerReply, transfer: ArrayBuffer[] = []): void {
  self.postMessage(msg, { transfer });
}

async function fetchWithProgress(id: number, url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${(await res.text()).trim()}`);
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body || !total) return res.arrayBuffer();
  const out = new Uint8Array(total);
  const reader = res.body.getReader();
  let done = 0;
  let lastReport = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    if (done + r.value.length > total) throw new Error(`${url}: more bytes than Content-Length ${total}`);
    out.set(r.value, done);
    done += r.value.length;
    if (done - lastReport > total / 50) {
      lastReport = done;
      post({ id, kind: 'progress', done, total });
    }
  }
  if (done !== total) throw new Error(`${url}: got ${done} of ${total} bytes`);
  return out.buffer;
}

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const { id, url, buffer, fileName, seed } = ev.data;
  try {
    const t0 = performance.now();
    const bytes = buffer ?? (await fetchWithProgress(id, url ?? ''));
    const t1 = performance.now();
    const pc = parsePointCloud(bytes, fileName);
    const t2 = performance.now();
    const cloud = toViewerCloud(pc, seed);
    const t3 = performance.now();
    post(
      {
        id,
        kind: 'done',
        cloud,
        bytes: bytes.byteLength,
        timings: { fetch: t1 - t0, parse: t2 - t1, prepare: t3 - t2 },
      },
      cloudBuffers(cloud),
    );
  } catch (e) {
    post({ id, kind: 'error', message: (e as Error).message || String(e) });
  }
};
