/**
 * The `view` server: serves the built viewer, the files of one data root under /data/, and a
 * small JSON API (/api/scenes, /api/label-sets). Loopback by default; nothing outside the root.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePathSegments, resolveUnderRoot } from './safe-path.js';
import { sendFile } from './static-file.js';
import { listScenes, loadLabelSets, resolveDataRoot, DATASETS_DIR, type DataRoot } from './scenes.js';
import {
  calibrateWebComplement,
  COMPLEMENT_FOLDER,
  readWebModel,
  type ComplementCalibration,
} from './web-model.js';

/** Where `npm run build` puts the viewer (same relative place from src/serve and dist/serve). */
export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL('../../dist/viewer/', import.meta.url));

/** Options of {@link startViewServer}. */
export interface ViewServerOptions {
  /** A run folder (with predictions/index.json), a predictions folder, a folder of scans, or one scan. */
  root: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8765; 0 picks any free port. */
  port?: number;
  /** When the port is taken: false (default) throws; true tries the next 20 ports. */
  nextFreePort?: boolean;
  /** Folder with the built viewer (index.html); default dist/viewer of this package. */
  viewerDir?: string;
  /** Folder of label-set JSON files; default the package's datasets/. */
  datasetsDir?: string;
  /**
   * Segmentation checkpoint (or run folder) served under /model/ for in-browser segmentation;
   * default: the root itself when it is a run folder with a segmentation checkpoint.
   */
  checkpoint?: string;
  /**
   * Serve the complement rule with the model (its init under /model/complement/, the values
   * calibrated at start on the checkpoint's training labels): true for the init the checkpoint
   * was fine-tuned from, or the init's folder.
   */
  complement?: string | true;
  /** Receives one line per server-side problem (default: silent). */
  log?: (line: string) => void;
}

/** A running server. */
export interface ViewServer {
  url: string;
  host: string;
  port: number;
  data: DataRoot;
  /** The checkpoint folder served under /model/, or why there is none. */
  model: { dir: string } | { reason: string };
  /** The complement rule served with the model (--complement), as calibrated at start. */
  complement?: ComplementCalibration;
  close(): Promise<void>;
}

/**
 * Headers that make the page cross-origin isolated (`self.crossOriginIsolated`): shared wasm
 * memory, hence tfjs wasm threads and the engine's conv kernels on all cores. Every response
 * carries them; a static host of `dist/viewer/` needs the same two (see `pointcontrast export`).
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  type = 'text/plain; charset=utf-8',
): void {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, `${JSON.stringify(body)}\n`, 'application/json; charset=utf-8');
}

/** Host header check against DNS rebinding: a loopback server answers only to loopback names. */
function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK.has(boundHost) && !boundHost.startsWith('127.')) return true;
  const header = req.headers.host;
  if (!header) return false;
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
  return LOOPBACK.has(name) || name.startsWith('127.') || name === boundHost;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = (): void => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** The checkpoint to serve: the one given (errors are fatal), else the root when it is a run. */
function serveModel(checkpoint: string | undefined, root: string): { dir: string } | { reason: string } {
  try {
    return { dir: readWebModel(checkpoint ?? root).dir };
  } catch (e) {
    const msg = (e as Error).message;
    return {
      reason: checkpoint ? msg : `${root}: not a segmentation run, and no --checkpoint given (${msg})`,
    };
  }
}

/** Starts the server; resolves once it listens. Throws a clear Error for a bad root or a taken port. */
export async function startViewServer(opts: ViewServerOptions): Promise<ViewServer> {
  const host = opts.host ?? '127.0.0.1';
  const data = resolveDataRoot(opts.root);
  if (data.kind === 'predictions') listScenes(data); // validate index.json now: fail at start, not in the browser
  const viewerDir = opts.viewerDir ?? DEFAULT_VIEWER_DIR;
  const viewerReal = existsSync(join(viewerDir, 'index.html')) ? realpathSync(viewerDir) : null;
  const log = opts.log ?? (() => {});
  if (!viewerReal) log(`viewer not built (no ${join(viewerDir, 'index.html')}): run \`npm run build\``);
  const datasetsDir = opts.datasetsDir ?? DATASETS_DIR;
  const model = serveModel(opts.checkpoint, opts.root);
  if (opts.checkpoint && 'reason' in model) throw new Error(model.reason);
  let complement: ComplementCalibration | undefined;
  if (opts.complement) {
    if ('reason' in model)
      throw new Error(`--complement: no segmentation model to apply it to (${model.reason})`);
    complement = calibrateWebComplement(model.dir, opts.complement === true ? undefined : opts.complement);
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // cross-origin isolation: SharedArrayBuffer in the page, so wasm runs on every core
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    if (!hostAllowed(req, host)) return sendText(res, 403, 'forbidden host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed\n');
    }
    const rawUrl = req.url ?? '';
    const q = rawUrl.indexOf('?');
    const segments = decodePathSegments(q < 0 ? rawUrl : rawUrl.slice(0, q));
    if (!segments) return sendText(res, 400, 'bad request path\n');

    if (segments[0] === 'api') {
      const what = segments.slice(1).join('/');
      if (what === 'scenes') {
        try {
          const offered = 'dir' in model ? { url: 'model/' } : { reason: model.reason };
          return sendJson(res, 200, { ...listScenes(data), model: offered });
        } catch (e) {
          return sendJson(res, 500, { error: (e as Error).message });
        }
      }
      if (what === 'label-sets') return sendJson(res, 200, { labelSets: loadLabelSets(datasetsDir, log) });
      return sendJson(res, 404, { error: `no API endpoint /api/${what}` });
    }
    if (segments[0] === 'model') {
      if ('reason' in model) return sendJson(res, 404, { error: model.reason });
      let name = segments.slice(1).join('/');
      let m;
      try {
        m = readWebModel(model.dir, complement); // re-read: a run's best/ may have been replaced meanwhile
      } catch (e) {
        return sendJson(res, 500, { error: (e as Error).message });
      }
      if (m.complement && name.startsWith(COMPLEMENT_FOLDER)) {
        name = name.slice(COMPLEMENT_FOLDER.length);
        m = m.complement;
      }
      if (name === 'manifest.json') return sendJson(res, 200, m.manifest);
      if (name === m.manifest.model) return sendJson(res, 200, m.modelJson);
      const file = m.files.get(name);
      if (!file) return sendText(res, 404, 'not found\n');
      const found = await resolveUnderRoot(m.dir, [name]);
      if (!found.ok) return sendText(res, found.status, `${found.reason}\n`);
      return sendFile(req, res, found.path, found.stats);
    }
    if (segments[0] === 'data') {
      const rest = segments.slice(1);
      if (data.onlyFile && rest.join('/') !== data.onlyFile) return sendText(res, 404, 'not found\n');
      const found = await resolveUnderRoot(data.dir, rest);
      if (!found.ok) return sendText(res, found.status, `${found.reason}\n`);
      return sendFile(req, res, found.path, found.stats);
    }
    if (!viewerReal) {
      return sendText(res, 503, 'pointcontrast viewer is not built: run `npm run build` (npm ci does it)\n');
    }
    const found = await resolveUnderRoot(viewerReal, segments.length === 0 ? ['index.html'] : segments);
    if (!found.ok) return sendText(res, found.status, `${found.reason}\n`);
    const immutable = segments[0] === 'assets';
    if (found.path.endsWith('.html')) res.setHeader('Content-Security-Policy', CSP);
    return sendFile(req, res, found.path, found.stats, {
      cacheControl: immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ERR_STREAM_PREMATURE_CLOSE') return; // client went away mid-stream
      log(`${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    });
  });

  const first = opts.port ?? 8765;
  const tries = opts.nextFreePort && first !== 0 ? 20 : 1;
  let port = -1;
  for (let i = 0; i < tries; i++) {
    try {
      port = await listen(server, host, first + i);
      break;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE' && i + 1 < tries) continue;
      if (err.code === 'EADDRINUSE') {
        const range = tries > 1 ? `ports ${first}-${first + tries - 1} are` : `port ${first} is`;
        throw new Error(`${range} already in use on ${host}; pass --port <n>, or --port 0 for any free port`);
      }
      if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        throw new Error(`cannot listen on host ${host}: no such local address`);
      }
      throw new Error(`cannot listen on ${host}:${first + i}: ${err.message}`);
    }
  }
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}/`,
    host,
    port,
    data,
    model,
    complement,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
