/**
 * "Segment a file…": finds the model (manifest only, at start), opens the picker or takes a
 * dropped file, shows progress and the backend in the #segment box, and hands the result to the
 * app as a new scene. Bad input ends as a message naming the file; nothing is thrown.
 */
import type { ModelClass } from '../../../src/models/checkpoint-model.js';
import type { WebModelManifest } from '../../../src/models/web-model-manifest.js';
import { fetchManifest } from './fetch-manifest.js';
import { scanStem } from '../../../src/tasks/segment/prediction-cloud.js';
import type { BrowserBackend, ModelInfo, SegmentResult } from './protocol.js';
import { Segmenter } from './segmenter.js';
import { segmentSummary } from './summary.js';

/** Page elements of the feature. */
export interface SegmentDom {
  box: HTMLElement;
  text: HTMLElement;
  bar: HTMLProgressElement;
  /** Why better backends were skipped (under the result). */
  skipped: HTMLElement;
  /** "Download labels": the last segmented scan as PLY. */
  download: HTMLButtonElement;
  input: HTMLInputElement;
  dropZone: HTMLElement;
}

/** Where the model is, which backend to ask for, and the largest cloud accepted. */
export interface SegmentOptions {
  /** Given with ?model=; null: the `view` server's /model/ when its scene list says one is served. */
  modelUrl: string | null;
  backend: BrowserBackend;
  maxPoints: number;
  /** ?simulateFailure=<backend>: that backend's output is zeroed (tests the check and the fallback). */
  simulateFailure: string | null;
  /** ?threads=N: wasm threads (null: every core when the page is cross-origin isolated). */
  threads: number | null;
}

/** What the app does with results and problems. */
export interface SegmentHooks {
  show(name: string, result: SegmentResult, classes: ModelClass[], ignoreLabel: number): void;
  warn(msg: string): void;
  /** Saves bytes as a file. */
  save(blob: Blob, fileName: string): void;
}

/** The last segmentation (read by the browser tests and `bench viewer --segment`). */
export interface SegmentRecord {
  file: string;
  points: number;
  voxels: number;
  backend: string;
  timings: SegmentResult['timings'];
  /** Reading, model load (first file only), parsing, network and drawing preparation, in ms. */
  totalMs: number;
  /** Labels in file order. */
  pred: Int32Array;
  /** The PLY "Download labels" saves, and its file name. */
  ply: Blob;
  plyName: string;
}

export class SegmentUi {
  manifest: WebModelManifest | null = null;
  /** Why there is no model (shown when the user asks to segment). */
  unavailable = 'looking for a model…';
  info: ModelInfo | null = null;
  last: SegmentRecord | null = null;
  busy = false;
  private segmenter: Segmenter | null = null;
  /** The worker's current stage (the ticker adds the elapsed time). */
  private stage = '';
  private fraction: number | undefined;

  constructor(
    private readonly dom: SegmentDom,
    private readonly opts: SegmentOptions,
    private readonly hooks: SegmentHooks,
  ) {
    dom.input.addEventListener('change', () => {
      const f = dom.input.files?.[0];
      dom.input.value = '';
      if (f) void this.segment(f);
    });
    dom.download.addEventListener('click', () => this.download());
  }

  /** Saves the last segmented scan (binary PLY with `pred` and `confidence`, predict's layout). */
  download(): void {
    if (this.last) this.hooks.save(this.last.ply, this.last.plyName);
  }

  /**
   * Looks for the model's manifest (small; the weights load on first use): at ?model=, else at
   * `served` (the server's /model/ when its scene list names one); `why` says why there is none.
   */
  async probe(served: string | null, why = 'the server serves no model'): Promise<void> {
    const url = this.opts.modelUrl ?? served;
    const how =
      'start the viewer with `pointcontrast view <segmentation run>` or open it with ?model=<url of a pointcontrast export folder>/';
    if (!url) {
      this.unavailable = `no segmentation model (${why}); ${how}`;
      return;
    }
    const abs = new URL(url, location.href).href;
    try {
      this.manifest = await fetchManifest(abs);
      this.segmenter = new Segmenter(abs, this.opts.backend, this.opts.simulateFailure, this.opts.threads);
      this.unavailable = '';
    } catch (e) {
      this.unavailable = `no segmentation model (${(e as Error).message}); ${how}`;
    }
  }

  /** Shows the drop zone for segmentation while a file is dragged (only with a model). */
  dragging(on: boolean): void {
    this.dom.dropZone.hidden = !on || !this.manifest;
  }

  /** Opens the file picker (or says why there is nothing to segment with). */
  pick(): void {
    if (!this.manifest) return this.hooks.warn(this.unavailable);
    this.dom.input.click();
  }

  private progress(text: string, fraction?: number): void {
    this.dom.box.hidden = false;
    this.dom.text.textContent = text;
    this.dom.bar.hidden = false;
    if (fraction === undefined) this.dom.bar.removeAttribute('value');
    else this.dom.bar.value = fraction;
  }

  private finish(text: string): void {
    this.dom.text.textContent = text;
    this.dom.bar.hidden = true;
  }

  /** Segments one file and shows it (`runs` > 1 repeats the network, for benchmarks); problems become a message naming the file. */
  async segment(file: File, runs = 1): Promise<void> {
    if (!this.manifest || !this.segmenter) return this.hooks.warn(this.unavailable);
    if (this.busy) return this.hooks.warn(`${file.name}: a segmentation is running; wait for it to finish`);
    this.busy = true;
    this.dom.download.hidden = true;
    this.dom.skipped.hidden = true;
    const t0 = performance.now();
    const tick = setInterval(() => {
      const s = ((performance.now() - t0) / 1000).toFixed(1);
      if (this.stage) this.progress(`${file.name}: ${this.stage} · ${s} s`, this.fraction);
    }, 250);
    try {
      this.progress(`${file.name}: reading`);
      const buffer = await file.arrayBuffer();
      const loaded = this.info === null;
      this.info ??= await this.segmenter.load((stage, f) => this.setStage(stage, f));
      const r = await this.segmenter.segment(
        buffer,
        file.name,
        this.opts.maxPoints,
        (stage, f) => this.setStage(stage, f),
        runs,
      );
      this.info = r.info;
      const totalMs = performance.now() - t0;
      this.last = {
        file: file.name,
        points: r.cloud.count,
        voxels: r.voxels,
        backend: r.info.backend,
        timings: r.timings,
        totalMs,
        pred: r.pred,
        ply: new Blob([r.ply], { type: 'application/octet-stream' }),
        plyName: `${scanStem(file.name)}-segmented.ply`,
      };
      const m = this.manifest;
      this.hooks.show(`${file.name} (segmented)`, r, m.classes, m.ignoreLabel);
      const text = segmentSummary({
        file: file.name,
        points: r.cloud.count,
        voxels: r.voxels,
        info: r.info,
        timings: r.timings,
        totalMs,
        loadMs: loaded ? r.info.loadMs : null,
        model: `${m.backbone}, ${m.classes.length} classes${
          m.complement
            ? `, complement rule: ${m.complement.absent.map((c) => m.classes[c].name).join(', ')} from ${m.complement.source}`
            : ''
        }`,
      });
      this.finish(text.result);
      this.dom.skipped.textContent = text.skipped;
      this.dom.skipped.hidden = !text.skipped;
      this.dom.download.hidden = false;
    } catch (e) {
      const msg = (e as Error).message;
      this.hooks.warn(msg.includes(file.name) ? msg : `${file.name}: ${msg}`);
      this.finish(`${file.name}: not segmented (see the message)`);
    } finally {
      clearInterval(tick);
      this.stage = '';
      this.busy = false;
    }
  }

  private setStage(stage: string, fraction?: number): void {
    this.stage = stage;
    this.fraction = fraction;
  }
}
