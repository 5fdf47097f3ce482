/**
 * The viewer application: lists scenes from the `view` server (or dropped files), loads one at a
 * time through the worker, owns the view state (mirrored in the URL hash) and wires the 3D view,
 * the legend, the panel and picking together.
 */
import { decodeState, encodeState, type ViewState } from './url-state.js';
import { View3D } from '../render/view3d.js';
import { Legend } from '../panels/legend.js';
import { Panel, paramsFromState, type PanelParams } from '../panels/panel.js';
import { CloudLoader, type LoadTimings } from '../scenes/loader.js';
import { availableModes, defaultMode, type ViewerCloud } from '../scenes/viewer-cloud.js';
import { classColor, className, classesById, type ViewerClass } from '../colors/label-lut.js';
import type { RampName } from '../colors/color-ramp.js';
import { clickHidden, type LegendRow } from '../panels/legend-model.js';
import {
  ERROR_COLORS,
  IGNORE_COLOR,
  legendContent,
  sceneStats,
  type SceneStats,
} from '../panels/legend-content.js';
import { autoRange, labelSetMenu, resolveSceneClasses } from '../scenes/scene-classes.js';
import { bindPageInput, fetchJson } from '../panels/page-input.js';
import { parseHexColor, toHexColor, type Rgb } from '../colors/colors.js';
import { pickDetails } from '../panels/pick-details.js';
import { downloadBlob, flashMessage, showTable, statusText, stickyMessage } from '../panels/hud.js';
import type { LabelSet, SceneEntry, SceneListing } from '../../../src/core/viewer-contract.js';
import { SegmentUi, type SegmentDom, type SegmentOptions } from '../segment/segment-ui.js';
import type { SceneClasses } from '../scenes/scene-classes.js';

/** One entry of the scene list. */
interface SceneRef {
  name: string;
  fileName: string;
  url?: string;
  file?: File;
  entry?: SceneEntry;
  /** A cloud made in the page (segmented file), shown without loading. */
  cloud?: ViewerCloud;
  /** Classes that come with the scene (the segmentation model's). */
  classes?: SceneClasses;
}

/** Timings of the last scene load (ms). */
export interface LoadRecord extends LoadTimings {
  scene: string;
  points: number;
  bytes: number;
  /** From the load request to the first frame drawn with the new scene. */
  total: number;
  /** performance.now() at that first frame (ms since navigation start). */
  sincePageStart: number;
}

/** The page elements the app draws into. */
export interface AppDom {
  viewport: HTMLElement;
  boxLabels: HTMLElement;
  legend: HTMLElement;
  status: HTMLElement;
  pick: HTMLElement;
  fileInput: HTMLInputElement;
  splitLabels: HTMLElement;
  segment: SegmentDom;
}

/** A distinct colour for class i when the model has none. */
function fallbackColor(i: number): Rgb {
  return [(i * 67) % 256, (i * 131) % 256, (i * 29) % 256];
}

export class App {
  state: ViewState;
  readonly view: View3D;
  lastLoad: LoadRecord | null = null;
  /** Messages shown to the user as errors (also read by the browser tests). */
  readonly errors: string[] = [];
  private scenes: SceneRef[] = [];
  private sceneIndex = -1;
  private listing: SceneListing | null = null;
  private labelSets: LabelSet[] = [];
  private classes: ViewerClass[] = [];
  private ignoreLabel = -1;
  private stats: SceneStats = {};
  private loadToken = 0;
  private urlTimer = 0;
  private readonly loader = new CloudLoader();
  private readonly legend: Legend;
  private readonly panel: Panel;
  private pickedIndex: number | null = null;
  /** Which scenes failed before the one shown (kept in the status line). */
  private failedNote = '';

  /** In-browser segmentation ("Segment a file…"). */
  readonly segmenter: SegmentUi;

  constructor(
    private readonly dom: AppDom,
    segmentOptions: SegmentOptions,
  ) {
    const decoded = decodeState(location.hash);
    this.state = decoded.state;
    for (const p of decoded.problems) this.warn(`link: ${p}`);
    this.view = new View3D(dom.viewport, dom.boxLabels);
    this.view.onCameraChange = () => {
      this.state.camera = this.view.getPose();
      this.scheduleUrl();
    };
    this.legend = new Legend(
      dom.legend,
      (row, rows, isolate) => this.clickLegend(row, rows, isolate),
      () => this.update({ hidden: [], hiddenErrors: [] }),
    );
    const s = this.state;
    this.panel = new Panel(paramsFromState(s, s.ramp ?? 'viridis', [0, 1]), {
      changed: (key) => this.panelChanged(key),
      prevScene: () => this.step(-1),
      nextScene: () => this.step(1),
      openFile: () => dom.fileInput.click(),
      segmentFile: () => this.segmenter.pick(),
      view: (name) => this.view.fit(name),
      autoRange: () => this.update({ range: null }),
      screenshot: () => void this.downloadScreenshot(),
    });
    this.segmenter = new SegmentUi(dom.segment, segmentOptions, {
      show: (name, r, classes, ignoreLabel) =>
        this.addCloud(name, r.cloud, {
          classes: classes.map((c, i) => ({ ...c, color: (c.color as Rgb | undefined) ?? fallbackColor(i) })),
          ignoreLabel,
        }),
      warn: (msg) => this.warn(msg, true),
      save: (blob, fileName) => downloadBlob(blob, fileName),
    });
    this.bindInput();
  }

  /** Fetches the scene list and label sets, then loads the linked (or first) scene. */
  async start(): Promise<void> {
    this.applySettings();
    try {
      const [scenes, sets] = await Promise.all([fetchJson('api/scenes'), fetchJson('api/label-sets')]);
      this.listing = scenes as SceneListing;
      this.labelSets = (sets as { labelSets: LabelSet[] }).labelSets;
      const m = this.listing.model;
      void this.segmenter.probe(m && 'url' in m ? m.url : null, m && 'reason' in m ? m.reason : undefined);
    } catch (e) {
      void this.segmenter.probe(null, 'no view server');
      this.warn(`no scene list from the server (${(e as Error).message}); drop a PLY/PCD file on the page`);
      this.setStatus('drop a PLY or PCD file here, or use “open PLY/PCD file…”');
      this.panel.setScenes([]);
      return;
    }
    const index = this.listing.index;
    this.scenes = this.listing.scenes.map((s) => ({
      name: s.name,
      fileName: s.url.split('/').pop() ?? s.name,
      url: s.url.replace(/^\//, ''),
      entry: index?.scenes.find((e) => e.name === s.name),
    }));
    for (const k of this.listing.skipped ?? []) this.warn(`${k.file}: not listed (${k.reason})`, true);
    this.panel.setScenes(this.scenes.map((s) => s.name));
    if (!this.scenes.length) {
      this.setStatus(`${this.listing.title}: no scenes (drop a PLY/PCD file here)`);
      return;
    }
    const linked = this.scenes.findIndex((s) => s.name === this.state.scene);
    if (this.state.scene !== null && linked < 0) this.warn(`link: no scene named '${this.state.scene}'`);
    await this.openFirstLoadable(Math.max(0, linked), 1, true);
  }

  /**
   * Loads scene `i`, and when it fails the next ones in direction `dir` until one loads (each
   * tried once); the failures stay on screen, named. Resolves to the index shown, or -1.
   */
  async openFirstLoadable(i: number, dir: 1 | -1, keepLinkState = false): Promise<number> {
    const n = this.scenes.length;
    const failed: string[] = [];
    const token = this.loadToken + 1;
    for (let k = 0; k < n; k++) {
      const j = (((i + dir * k) % n) + n) % n;
      const ok = await this.loadScene(j, keepLinkState && k === 0);
      if (ok) {
        if (failed.length)
          this.failedNote = `${failed.join(', ')}: could not load; showing ${this.scenes[j].name}`;
        this.setStatus();
        return j;
      }
      if (this.loadToken !== token + k) return -1; // the user asked for another scene meanwhile
      failed.push(this.scenes[j].name);
    }
    this.setStatus(`${failed.join(', ')}: could not load (see the messages above); drop a PLY/PCD file here`);
    return -1;
  }

  /** Loads scene `i` (true when drawn); with `keepLinkState` the camera and range of the URL are kept. */
  async loadScene(i: number, keepLinkState = false): Promise<boolean> {
    const ref = this.scenes[i];
    if (!ref) return false;
    this.failedNote = '';
    const token = ++this.loadToken;
    const t0 = performance.now();
    this.sceneIndex = i;
    this.state.scene = ref.name;
    this.panel.params.scene = ref.name;
    this.panel.refresh();
    this.setStatus(`loading ${ref.name}…`);
    let loaded;
    try {
      if (ref.cloud) {
        loaded = { cloud: ref.cloud, bytes: 0, timings: { fetch: 0, parse: 0, prepare: 0 } };
      } else {
        const source = ref.file ? { buffer: await ref.file.arrayBuffer() } : { url: ref.url ?? '' };
        loaded = await this.loader.load(source, ref.fileName, (done, total) => {
          if (token === this.loadToken)
            this.setStatus(`loading ${ref.name}… ${Math.round((100 * done) / total)} %`);
        });
      }
    } catch (e) {
      if (token !== this.loadToken) return false;
      this.warn(`${ref.name}: ${(e as Error).message}`, true);
      this.setStatus(`${ref.name}: could not load (see the message above)`);
      return false;
    }
    if (token !== this.loadToken) return false;
    const cloud = loaded.cloud;
    this.resolveClasses();
    this.computeStats(cloud);
    this.view.setCloud(cloud);
    this.pickedIndex = null;
    this.dom.pick.hidden = true;
    const modes = availableModes(cloud);
    if (!this.state.mode || !modes.some((m) => m.id === this.state.mode))
      this.state.mode = defaultMode(cloud);
    if (!keepLinkState) this.state.range = null;
    this.rebuildColorPanel();
    this.panel.setSceneLimits(cloud.count, !!(cloud.gt && cloud.pred));
    this.applySettings();
    if (keepLinkState && this.state.camera) this.view.setPose(this.state.camera);
    else this.view.fit('iso');
    const frames = this.view.frames;
    this.view.onRender = () => {
      if (this.view.frames <= frames) return;
      this.view.onRender = null;
      this.view.renderer.getContext().readPixels(0, 0, 1, 1, 0x1908, 0x1401, new Uint8Array(4)); // wait for the GPU
      const now = performance.now();
      this.lastLoad = {
        scene: ref.name,
        points: cloud.count,
        bytes: loaded.bytes,
        ...loaded.timings,
        total: now - t0,
        sincePageStart: now,
      };
      this.setStatus();
      document.body.dataset.loaded = ref.name;
    };
    return true;
  }

  private resolveClasses(): void {
    const own = this.scenes[this.sceneIndex]?.classes;
    if (own) {
      ({ classes: this.classes, ignoreLabel: this.ignoreLabel } = own);
      return;
    }
    const index = this.listing?.kind === 'predictions' ? this.listing.index : undefined;
    ({ classes: this.classes, ignoreLabel: this.ignoreLabel } = resolveSceneClasses(
      index,
      this.labelSets,
      this.state.labels,
    ));
  }

  private computeStats(c: ViewerCloud): void {
    this.stats = sceneStats(c, this.ignoreLabel);
  }

  private rebuildColorPanel(): void {
    const cloud = this.view.current;
    if (!cloud) return;
    const modes = Object.fromEntries(availableModes(cloud).map((m) => [m.label, m.id]));
    const sets = this.listing?.kind !== 'predictions' && cloud.gt ? labelSetMenu(this.labelSets) : null;
    const mode = this.state.mode ?? '';
    this.panel.params.mode = mode;
    this.panel.params.labels = this.state.labels ?? '';
    this.panel.setColorOptions(modes, sets, mode === 'height' || mode.startsWith('f:'));
  }

  /** Applies a partial state change: view, legend, panel and URL follow. */
  update(change: Partial<ViewState>): void {
    const sceneChanged = change.scene !== undefined && change.scene !== this.state.scene;
    const modeChanged = change.mode !== undefined && change.mode !== this.state.mode;
    const labelsChanged = change.labels !== undefined && change.labels !== this.state.labels;
    const splitChanged = change.split !== undefined && change.split !== this.state.split;
    Object.assign(this.state, change);
    if (modeChanged && change.range === undefined) this.state.range = null;
    if (sceneChanged) {
      const i = this.scenes.findIndex((s) => s.name === change.scene);
      if (i >= 0) void this.openFirstLoadable(i, 1);
      return;
    }
    if (labelsChanged && this.view.current) {
      this.state.hidden = [];
      this.resolveClasses();
      this.computeStats(this.view.current);
    }
    if (modeChanged || labelsChanged) this.rebuildColorPanel();
    this.applySettings();
    if (splitChanged) this.view.refit(); // half the width: keep the scene in view
  }

  /** Pushes the state into the view, uniforms, legend, panel and URL. */
  private applySettings(): void {
    const s = this.state;
    const v = this.view;
    const mode = s.mode ?? 'height';
    Object.assign(v.settings, {
      mode,
      split: s.split,
      pointSize: s.pointSize,
      budget: s.budget,
      edl: s.edl,
      edlRadius: s.edlRadius,
      edlStrength: s.edlStrength,
      background: parseHexColor(s.background) ?? [27, 29, 34],
      boxes: s.boxes,
    });
    v.setScalarField(mode.startsWith('f:') ? mode.slice(2) : null);
    const range = s.range ?? autoRange(v.current, mode);
    const ramp: RampName = s.ramp ?? (mode === 'f:confidence' ? 'redgreen' : 'viridis');
    v.setColoring({
      classes: this.classes,
      hidden: new Set(s.hidden),
      ignoreLabel: this.ignoreLabel,
      ignoreColor: IGNORE_COLOR,
      errorColors: ERROR_COLORS,
      hiddenErrors: s.hiddenErrors,
      range,
      ramp,
    });
    this.updateBoxes();
    const cloud = v.current;
    this.legend.show(
      cloud &&
        legendContent({
          cloud,
          mode,
          split: v.splitActive(),
          classes: this.classes,
          ignoreLabel: this.ignoreLabel,
          stats: this.stats,
          entry: this.scenes[this.sceneIndex]?.entry,
          hidden: s.hidden,
          hiddenErrors: s.hiddenErrors,
          range,
          ramp,
        }),
    );
    this.dom.splitLabels.hidden = !v.splitActive();
    Object.assign(this.panel.params, paramsFromState(s, ramp, range));
    this.panel.refresh();
    this.setStatus();
    v.requestRender();
    this.scheduleUrl();
  }

  private clickLegend(row: LegendRow, rows: LegendRow[], isolate: boolean): void {
    const groups = rows.map((r) => r.ids);
    if (this.state.mode === 'error' && !this.view.splitActive()) {
      const next = clickHidden(new Set(this.state.hiddenErrors), groups, row.ids, isolate);
      this.update({ hiddenErrors: [...next] });
      return;
    }
    this.update({ hidden: [...clickHidden(new Set(this.state.hidden), groups, row.ids, isolate)] });
  }

  private updateBoxes(): void {
    const byId = classesById(this.classes);
    const hidden = new Set(this.state.hidden);
    this.view.boxes.set(
      this.scenes[this.sceneIndex]?.entry?.boxes,
      (label) => classColor(label, byId),
      (label) => className(label, byId, this.ignoreLabel),
      (label) => hidden.has(label),
      this.state.minScore,
    );
  }

  private panelChanged(key: keyof PanelParams): void {
    const p = this.panel.params;
    switch (key) {
      case 'scene':
        return this.update({ scene: p.scene });
      case 'background':
        return this.update({ background: toHexColor(parseHexColor(p.background) ?? [0, 0, 0]) });
      case 'min':
      case 'max':
        return this.update({ range: p.min < p.max ? [p.min, p.max] : this.state.range });
      case 'ramp':
        return this.update({ ramp: p.ramp as RampName });
      case 'labels':
        return this.update({ labels: p.labels || null });
      default:
        this.update({ [key]: p[key] } as Partial<ViewState>);
    }
  }

  /** Steps through the scene list (wrapping). */
  step(delta: number): void {
    if (!this.scenes.length) return;
    const n = this.scenes.length;
    void this.openFirstLoadable((((this.sceneIndex + delta) % n) + n) % n, delta < 0 ? -1 : 1);
  }

  /** Adds a dropped or picked file as a scene and shows it. */
  openFile(file: File): void {
    let name = file.name;
    for (let k = 2; this.scenes.some((s) => s.name === name); k++) name = `${file.name} (${k})`;
    this.scenes.push({ name, fileName: file.name, file });
    this.panel.setScenes(this.scenes.map((s) => s.name));
    void this.loadScene(this.scenes.length - 1);
  }

  /** Adds a cloud made in the page (a segmented file) as a scene and shows it by prediction. */
  addCloud(name: string, cloud: ViewerCloud, classes: SceneClasses): void {
    let unique = name;
    for (let k = 2; this.scenes.some((s) => s.name === unique); k++) unique = `${name} (${k})`;
    this.scenes.push({ name: unique, fileName: name, cloud, classes });
    this.panel.setScenes(this.scenes.map((s) => s.name));
    this.state.mode = 'pred';
    this.state.hidden = [];
    void this.loadScene(this.scenes.length - 1);
  }

  /** Picks the point under a CSS-pixel position of the canvas and shows its details. */
  pickAt(x: number, y: number): number | null {
    const hit = this.view.pick(x, y);
    const cloud = this.view.current;
    this.pickedIndex = hit?.index ?? null;
    this.view.setMarker(this.pickedIndex);
    if (!hit || !cloud) {
      this.dom.pick.hidden = true;
      return null;
    }
    showTable(this.dom.pick, pickDetails(cloud, hit.index, classesById(this.classes), this.ignoreLabel));
    return hit.index;
  }

  /** Renders a frame and downloads it as a PNG. */
  async downloadScreenshot(): Promise<void> {
    const blob = await this.view.screenshot();
    downloadBlob(blob, `${this.state.scene ?? 'pointcontrast'}-${this.state.mode ?? 'view'}.png`);
  }

  private bindInput(): void {
    bindPageInput({
      canvas: this.view.renderer.domElement,
      fileInput: this.dom.fileInput,
      pickAt: (x, y) => void this.pickAt(x, y),
      step: (d) => this.step(d),
      fit: (name) => this.view.fit(name),
      toggleSplit: () => this.update({ split: !this.state.split }),
      hashChanged: () => {
        const { state, problems } = decodeState(location.hash);
        for (const p of problems) this.warn(`link: ${p}`);
        const { scene, camera, ...rest } = state;
        this.update(rest);
        if (scene && scene !== this.state.scene) this.update({ scene });
        else if (camera) this.view.setPose(camera);
      },
      openFile: (f) => this.openFile(f),
    });
  }

  private scheduleUrl(): void {
    clearTimeout(this.urlTimer);
    this.urlTimer = window.setTimeout(() => {
      const hash = encodeState(this.state);
      if (hash !== location.hash) history.replaceState(null, '', hash || location.pathname + location.search);
    }, 200);
  }

  private setStatus(text?: string): void {
    if (text !== undefined) {
      this.dom.status.textContent = text;
      return;
    }
    const c = this.view.current;
    if (!c) return;
    const note = this.failedNote ? ` (${this.failedNote})` : '';
    this.dom.status.textContent =
      statusText({
        title: this.listing?.title,
        scene: this.state.scene,
        count: c.count,
        budget: this.state.budget,
        loadMs: this.lastLoad?.total,
      }) + note;
  }

  /** Shows `msg` to the user; `sticky` ones (load failures) stay until clicked away. */
  private warn(msg: string, sticky = false): void {
    this.errors.push(msg);
    console.warn(`pointcontrast: ${msg}`);
    (sticky ? stickyMessage : flashMessage)(document.getElementById('messages'), msg);
  }
}
