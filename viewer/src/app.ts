/**
 * The viewer application: lists scenes from the `view` server (or dropped files), loads one at a
 * time through the worker, owns the view state (mirrored in the URL hash) and wires the 3D view,
 * the legend, the panel and picking together.
 */
import { decodeState, encodeState, type ViewState } from './url-state.js';
import { View3D } from './view3d.js';
import { setTexels } from './point-material.js';
import { Legend, type LegendContent } from './legend.js';
import { Panel, type PanelParams } from './panel.js';
import { CloudLoader, type LoadTimings } from './loader.js';
import { availableModes, defaultMode, type ViewerCloud } from './viewer-cloud.js';
import {
  buildLabelLut,
  classColor,
  className,
  classesById,
  classesByRawId,
  type ViewerClass,
} from './label-lut.js';
import { finiteRange, rampTexels, type RampName } from './color-ramp.js';
import { labelHistogram, iouStats, type IoUStats } from './legend-stats.js';
import { errorCounts } from './error-class.js';
import { classRows, clickHidden, errorRows, type LegendRow } from './legend-model.js';
import { parseHexColor, toHexColor, type Rgb } from './colors.js';
import { pickDetails } from './pick-details.js';
import type { LabelSet, SceneEntry } from '../../src/serve/predictions-index.js';
import type { SceneListing } from '../../src/serve/scenes.js';

/** One entry of the scene list. */
interface SceneRef {
  name: string;
  fileName: string;
  url?: string;
  file?: File;
  entry?: SceneEntry;
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
}

const ERROR_COLORS: [Rgb, Rgb, Rgb] = [
  [140, 199, 140],
  [230, 31, 31],
  [115, 115, 115],
];
const IGNORE_COLOR: Rgb = [115, 115, 115];
const UNMAPPED_RAW: Rgb = [105, 105, 105];

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
  private stats: { gt?: Map<number, number>; pred?: Map<number, number>; iou?: IoUStats } = {};
  private loadToken = 0;
  private urlTimer = 0;
  private readonly loader = new CloudLoader();
  private readonly legend: Legend;
  private readonly panel: Panel;
  private pickedIndex: number | null = null;

  constructor(private readonly dom: AppDom) {
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
    this.panel = new Panel(
      {
        scene: s.scene ?? '',
        mode: s.mode ?? '',
        ramp: s.ramp ?? 'viridis',
        min: 0,
        max: 1,
        labels: s.labels ?? '',
        pointSize: s.pointSize,
        budget: s.budget,
        edl: s.edl,
        edlRadius: s.edlRadius,
        edlStrength: s.edlStrength,
        background: s.background,
        split: s.split,
        boxes: s.boxes,
        minScore: s.minScore,
      },
      {
        changed: (key) => this.panelChanged(key),
        prevScene: () => this.step(-1),
        nextScene: () => this.step(1),
        openFile: () => dom.fileInput.click(),
        view: (name) => this.view.fit(name),
        autoRange: () => this.update({ range: null }),
        screenshot: () => void this.downloadScreenshot(),
      },
    );
    this.bindInput();
  }

  /** Fetches the scene list and label sets, then loads the linked (or first) scene. */
  async start(): Promise<void> {
    this.applySettings();
    try {
      const [scenes, sets] = await Promise.all([fetchJson('api/scenes'), fetchJson('api/label-sets')]);
      this.listing = scenes as SceneListing;
      this.labelSets = (sets as { labelSets: LabelSet[] }).labelSets;
    } catch (e) {
      this.warn(`no scene list from the server (${(e as Error).message}); drop a PLY/PCD file on the page`);
      this.setStatus('drop a PLY or PCD file here, or use “open PLY/PCD file…”');
      this.panel.setScenes([]);
      return;
    }
    const index = this.listing.index;
    this.scenes = this.listing.scenes.map((s, i) => ({
      name: s.name,
      fileName: s.url.split('/').pop() ?? s.name,
      url: s.url.replace(/^\//, ''),
      entry: index?.scenes[i],
    }));
    this.panel.setScenes(this.scenes.map((s) => s.name));
    if (!this.scenes.length) {
      this.setStatus(`${this.listing.title}: no scenes (drop a PLY/PCD file here)`);
      return;
    }
    const linked = this.scenes.findIndex((s) => s.name === this.state.scene);
    if (this.state.scene !== null && linked < 0) this.warn(`link: no scene named '${this.state.scene}'`);
    await this.loadScene(Math.max(0, linked), true);
  }

  /** Loads scene `i`; with `keepLinkState` the camera and range of the URL are kept. */
  async loadScene(i: number, keepLinkState = false): Promise<void> {
    const ref = this.scenes[i];
    if (!ref) return;
    const token = ++this.loadToken;
    const t0 = performance.now();
    this.sceneIndex = i;
    this.state.scene = ref.name;
    this.panel.params.scene = ref.name;
    this.panel.refresh();
    this.setStatus(`loading ${ref.name}…`);
    let loaded;
    try {
      const source = ref.file ? { buffer: await ref.file.arrayBuffer() } : { url: ref.url ?? '' };
      loaded = await this.loader.load(source, ref.fileName, (done, total) => {
        if (token === this.loadToken)
          this.setStatus(`loading ${ref.name}… ${Math.round((100 * done) / total)} %`);
      });
    } catch (e) {
      if (token !== this.loadToken) return;
      this.warn(`${ref.name}: ${(e as Error).message}`);
      this.setStatus(`${ref.name}: could not load (see the message above)`);
      return;
    }
    if (token !== this.loadToken) return;
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
  }

  private resolveClasses(): void {
    const index = this.listing?.index;
    if (index && this.listing?.kind === 'predictions') {
      this.classes = index.classes;
      this.ignoreLabel = index.ignoreLabel;
      return;
    }
    const [name, raw] = (this.state.labels ?? '').split(':');
    const set = this.labelSets.find((s) => s.name === name);
    if (!set) {
      this.classes = [];
      this.ignoreLabel = -1;
      return;
    }
    if (raw === 'raw') {
      const mapped = classesByRawId(set.classes);
      const ids = new Set(mapped.map((c) => c.id));
      const unmapped: ViewerClass[] = [];
      for (let id = 0; id < 256; id++) {
        if (!ids.has(id))
          unmapped.push({
            id,
            name: `other ${set.rawName ?? 'raw'} ids (not in ${set.name})`,
            color: UNMAPPED_RAW,
          });
      }
      this.classes = [...mapped, ...unmapped];
      this.ignoreLabel = -1;
    } else {
      this.classes = set.classes;
      this.ignoreLabel = set.ignoreLabel;
    }
  }

  private computeStats(c: ViewerCloud): void {
    this.stats = {};
    if (c.gt) this.stats.gt = labelHistogram(c.gt);
    if (c.pred) this.stats.pred = labelHistogram(c.pred);
    if (c.gt && c.pred) this.stats.iou = iouStats(c.pred, c.gt, this.ignoreLabel);
  }

  private rebuildColorPanel(): void {
    const cloud = this.view.current;
    if (!cloud) return;
    const modes = Object.fromEntries(availableModes(cloud).map((m) => [m.label, m.id]));
    let sets: Record<string, string> | null = null;
    if (this.listing?.kind !== 'predictions' && cloud.gt) {
      sets = { 'generated palette': '' };
      for (const s of this.labelSets) {
        sets[s.name] = s.name;
        if (s.rawName) sets[`${s.name} by ${s.rawName} id`] = `${s.name}:raw`;
      }
    }
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
      if (i >= 0) void this.loadScene(i);
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
    const u = v.materials.uniforms;
    const hidden = new Set(s.hidden);
    setTexels(u.uLut.value, buildLabelLut(this.classes, hidden));
    u.uIgnoreLabel.value = this.ignoreLabel;
    u.uIgnoreColor.value.set(
      IGNORE_COLOR[0] / 255,
      IGNORE_COLOR[1] / 255,
      IGNORE_COLOR[2] / 255,
      hidden.has(-1) ? 0 : 1,
    );
    ERROR_COLORS.forEach((c, k) => u.uErrorColors.value[k].set(c[0] / 255, c[1] / 255, c[2] / 255));
    u.uErrorVisible.value.set(
      ...([0, 1, 2].map((k) => (s.hiddenErrors.includes(k) ? 0 : 1)) as [number, number, number]),
    );
    const scalar = mode.startsWith('f:') ? mode.slice(2) : null;
    v.setScalarField(scalar);
    const range = s.range ?? this.autoRange(mode);
    const ramp: RampName = s.ramp ?? (mode === 'f:confidence' ? 'redgreen' : 'viridis');
    u.uRange.value.set(range[0], range[1]);
    setTexels(u.uRamp.value, rampTexels(ramp));
    this.updateBoxes();
    this.legend.show(this.legendContent(range, ramp));
    this.dom.splitLabels.hidden = !v.splitActive();
    Object.assign(this.panel.params, {
      mode,
      ramp,
      min: range[0],
      max: range[1],
      pointSize: s.pointSize,
      budget: s.budget,
      edl: s.edl,
      edlRadius: s.edlRadius,
      edlStrength: s.edlStrength,
      background: s.background,
      split: s.split,
      boxes: s.boxes,
      minScore: s.minScore,
    } satisfies Partial<PanelParams>);
    this.panel.refresh();
    this.setStatus();
    v.requestRender();
    this.scheduleUrl();
  }

  private autoRange(mode: string): [number, number] {
    const c = this.view.current;
    if (!c) return [0, 1];
    if (mode === 'f:confidence') return [0, 1];
    if (mode === 'height') return [c.bounds.min[2], c.bounds.max[2]];
    const r = mode.startsWith('f:') ? finiteRange(c.scalars[mode.slice(2)] ?? []) : null;
    if (!r) return [0, 1];
    return r[0] === r[1] ? [r[0] - 0.5, r[1] + 0.5] : r;
  }

  private legendContent(range: [number, number], ramp: RampName): LegendContent | null {
    const c = this.view.current;
    if (!c) return null;
    const s = this.state;
    const mode = s.mode ?? '';
    const hidden = new Set(s.hidden);
    const rows = (counts: Map<number, number> | undefined) =>
      counts
        ? classRows({
            classes: this.classes,
            ignoreLabel: this.ignoreLabel,
            counts,
            computedIoU: this.stats.iou?.perClass,
            indexIoU: this.scenes[this.sceneIndex]?.entry?.metrics?.per_class,
            hidden,
            ignoreColor: IGNORE_COLOR,
          })
        : undefined;
    const mIoU = this.scenes[this.sceneIndex]?.entry?.metrics?.mIoU;
    const footer =
      mIoU !== undefined
        ? `mIoU ${mIoU.toFixed(1)} (index.json)`
        : this.stats.iou
          ? `mIoU ${(this.stats.iou.mIoU * 100).toFixed(1)} (from these points)`
          : undefined;
    if (this.view.splitActive())
      return { title: 'left: ground truth · right: prediction', rows: rows(this.stats.gt), footer };
    if (mode === 'error' && c.gt && c.pred) {
      const e = errorCounts(c.pred, c.gt, this.ignoreLabel);
      return {
        title: 'prediction vs ground truth',
        rows: errorRows(e, ERROR_COLORS, new Set(s.hiddenErrors)),
        footer: `accuracy ${(e.accuracy * 100).toFixed(1)} % · ${footer ?? ''}`,
      };
    }
    if (mode === 'pred') return { title: 'prediction', rows: rows(this.stats.pred), footer };
    if (mode === 'gt') return { title: c.pred ? 'ground truth' : 'label', rows: rows(this.stats.gt), footer };
    const filterRows = rows(this.stats.gt ?? this.stats.pred);
    const title =
      mode === 'height'
        ? 'height (z)'
        : mode.startsWith('f:')
          ? mode.slice(2)
          : mode === 'rgb'
            ? 'RGB'
            : mode;
    const scalar = mode === 'height' || mode.startsWith('f:');
    return {
      title: filterRows?.length
        ? `${title} · classes (${this.stats.gt ? 'ground truth' : 'prediction'})`
        : title,
      ramp: scalar ? { name: ramp, min: range[0], max: range[1] } : undefined,
      rows: filterRows,
      footer: mode === 'instance' && c.instance ? `${labelHistogram(c.instance).size} instances` : undefined,
    };
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
    void this.loadScene((this.sceneIndex + delta + this.scenes.length) % this.scenes.length);
  }

  /** Adds a dropped or picked file as a scene and shows it. */
  openFile(file: File): void {
    let name = file.name;
    for (let k = 2; this.scenes.some((s) => s.name === name); k++) name = `${file.name} (${k})`;
    this.scenes.push({ name, fileName: file.name, file });
    this.panel.setScenes(this.scenes.map((s) => s.name));
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
    const rows = pickDetails(cloud, hit.index, classesById(this.classes), this.ignoreLabel);
    const table = document.createElement('table');
    for (const [k, v] of rows) {
      const tr = table.insertRow();
      tr.insertCell().textContent = k;
      tr.insertCell().textContent = v;
    }
    this.dom.pick.replaceChildren(table);
    this.dom.pick.hidden = false;
    return hit.index;
  }

  /** Renders a frame and downloads it as a PNG. */
  async downloadScreenshot(): Promise<void> {
    const blob = await this.view.screenshot();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${this.state.scene ?? 'pointcontrast'}-${this.state.mode ?? 'view'}.png`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  private bindInput(): void {
    const canvas = this.view.renderer.domElement;
    let down: { x: number; y: number } | null = null;
    canvas.addEventListener(
      'pointerdown',
      (e) => (down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null),
    );
    canvas.addEventListener('pointerup', (e) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return;
      const r = canvas.getBoundingClientRect();
      this.pickAt(e.clientX - r.left, e.clientY - r.top);
    });
    window.addEventListener('keydown', (e) => {
      if (
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLSelectElement ||
        e.ctrlKey ||
        e.metaKey
      )
        return;
      const keys: Record<string, () => void> = {
        n: () => this.step(1),
        p: () => this.step(-1),
        f: () => this.view.fit('iso'),
        t: () => this.view.fit('top'),
        s: () => this.update({ split: !this.state.split }),
      };
      keys[e.key]?.();
    });
    window.addEventListener('hashchange', () => {
      const { state, problems } = decodeState(location.hash);
      for (const p of problems) this.warn(`link: ${p}`);
      const { scene, camera, ...rest } = state;
      this.update(rest);
      if (scene && scene !== this.state.scene) this.update({ scene });
      else if (camera) this.view.setPose(camera);
    });
    this.dom.fileInput.addEventListener('change', () => {
      const f = this.dom.fileInput.files?.[0];
      if (f) this.openFile(f);
      this.dom.fileInput.value = '';
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
    const drawn = Math.min(c.count, this.state.budget);
    const parts = [
      [this.listing?.title, this.state.scene].filter(Boolean).join(' › '),
      `${c.count.toLocaleString('en-US')} points${drawn < c.count ? ` (drawing ${drawn.toLocaleString('en-US')})` : ''}`,
    ];
    if (this.lastLoad) parts.push(`loaded in ${(this.lastLoad.total / 1000).toFixed(2)} s`);
    this.dom.status.textContent = parts.join(' · ');
  }

  private warn(msg: string): void {
    this.errors.push(msg);
    console.warn(`pointcontrast: ${msg}`);
    const el = document.getElementById('messages');
    if (!el) return;
    const div = document.createElement('div');
    div.textContent = msg;
    el.appendChild(div);
    setTimeout(() => div.remove(), 10_000);
  }
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { cache: 'no-store' });
  const body = await res.text();
  if (!res.ok) {
    let msg = body.trim();
    try {
      msg = (JSON.parse(body) as { error?: string }).error ?? msg;
    } catch {
      // plain-text error body
    }
    throw new Error(`${url}: HTTP ${res.status}: ${msg}`);
  }
  return JSON.parse(body);
}
