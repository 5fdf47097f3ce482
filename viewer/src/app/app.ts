/**
 * The viewer application, a composition of its parts: it owns the view state (mirrored in the URL
 * hash by the link) and routes every change through one place, update(). Scenes are listed and
 * loaded by scenes/, drawn by render/, shown and edited in panels/, segmented in the page by segment/.
 */
import type { SceneListing } from '../../../src/core/viewer-contract.js';
import type { ViewState } from './url-state.js';
import { UrlLink } from './url-link.js';
import { applyStateToView } from './state-to-view.js';
import { View3D } from '../render/view3d.js';
import { Legend } from '../panels/legend.js';
import { legendClick } from '../panels/legend-model.js';
import { legendContent, sceneStats, type SceneStats } from '../panels/legend-content.js';
import { Panel } from '../panels/panel.js';
import { paramsFromState, stateChangeOf } from '../panels/panel-state.js';
import { bindPageInput } from '../panels/page-input.js';
import { pickDetails } from '../panels/pick-details.js';
import { downloadBlob, showTable, type StatusFacts } from '../panels/hud.js';
import { Messages } from '../panels/messages.js';
import { StatusLine } from '../panels/status-line.js';
import { SceneList, type SceneRef } from '../scenes/scene-list.js';
import { SceneOpener, type LoadRecord } from '../scenes/scene-opener.js';
import type { Loaded } from '../scenes/loader.js';
import { availableModes, defaultMode, type ViewerCloud } from '../scenes/viewer-cloud.js';
import { labelSetMenu, type SceneClasses } from '../scenes/scene-classes.js';
import { classesById } from '../colors/label-lut.js';
import type { Rgb } from '../colors/colors.js';
import { SegmentUi, type SegmentDom, type SegmentOptions } from '../segment/segment-ui.js';

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
  private readonly messages = new Messages();
  /** Messages shown to the user as errors (also read by the browser tests). */
  readonly errors = this.messages.shown;
  /** In-browser segmentation ("Segment a file…"). */
  readonly segmenter: SegmentUi;
  private readonly link = new UrlLink(
    (msg) => this.messages.warn(msg),
    () => this.state,
  );
  private readonly scenes = new SceneList();
  private readonly opener: SceneOpener;
  private readonly legend: Legend;
  private readonly panel: Panel;
  private readonly status: StatusLine;
  /** Classes colouring the scene shown, and its per-class counts. */
  private shown: SceneClasses = { classes: [], ignoreLabel: -1 };
  private stats: SceneStats = {};

  constructor(
    private readonly dom: AppDom,
    segmentOptions: SegmentOptions,
  ) {
    this.state = this.link.read();
    this.view = new View3D(dom.viewport, dom.boxLabels);
    this.view.onCameraChange = () => {
      this.state.camera = this.view.getPose();
      this.link.schedule();
    };
    this.status = new StatusLine(dom.status, () => this.statusFacts());
    this.opener = new SceneOpener(this.scenes, this.status, {
      selected: (ref) => {
        this.state.scene = ref.name;
        this.panel.params.scene = ref.name;
        this.panel.refresh();
      },
      show: (ref, loaded, keepLinkState, t0) => this.show(ref, loaded, keepLinkState, t0),
      warn: (msg, sticky) => this.messages.warn(msg, sticky),
    });
    this.legend = new Legend(
      dom.legend,
      (row, rows, isolate) => {
        const errorRows = this.state.mode === 'error' && !this.view.splitActive();
        this.update(legendClick(this.state, errorRows, row, rows, isolate));
      },
      () => this.update({ hidden: [], hiddenErrors: [] }),
    );
    const s = this.state;
    this.panel = new Panel(paramsFromState(s, s.ramp ?? 'viridis', [0, 1]), {
      changed: (key) => this.update(stateChangeOf(key, this.panel.params, this.state.range)),
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
      warn: (msg) => this.messages.warn(msg, true),
      save: (blob, fileName) => downloadBlob(blob, fileName),
    });
    bindPageInput({
      canvas: this.view.renderer.domElement,
      fileInput: dom.fileInput,
      pickAt: (x, y) => void this.pickAt(x, y),
      step: (d) => this.step(d),
      fit: (name) => this.view.fit(name),
      toggleSplit: () => this.update({ split: !this.state.split }),
      hashChanged: () => {
        const { scene, camera, ...rest } = this.link.read();
        this.update(rest);
        if (scene && scene !== this.state.scene) this.update({ scene });
        else if (camera) this.view.setPose(camera);
      },
      openFile: (f) => this.openFile(f),
    });
  }

  /** Fetches the scene list and label sets, then loads the linked (or first) scene. */
  async start(): Promise<void> {
    this.applySettings();
    let listing: SceneListing;
    try {
      listing = await this.scenes.fetch();
      const m = listing.model;
      void this.segmenter.probe(m && 'url' in m ? m.url : null, m && 'reason' in m ? m.reason : undefined);
    } catch (e) {
      void this.segmenter.probe(null, 'no view server');
      this.messages.warn(
        `no scene list from the server (${(e as Error).message}); drop a PLY/PCD file on the page`,
      );
      this.status.set('drop a PLY or PCD file here, or use “open PLY/PCD file…”');
      this.panel.setScenes([]);
      return;
    }
    this.scenes.useListing(listing);
    for (const k of listing.skipped ?? []) this.messages.warn(`${k.file}: not listed (${k.reason})`, true);
    this.panel.setScenes(this.scenes.names());
    if (!this.scenes.count) {
      this.status.set(`${listing.title}: no scenes (drop a PLY/PCD file here)`);
      return;
    }
    const linked = this.scenes.indexOf(this.state.scene);
    if (this.state.scene !== null && linked < 0)
      this.messages.warn(`link: no scene named '${this.state.scene}'`);
    await this.openFirstLoadable(Math.max(0, linked), 1, true);
  }

  /** Loads scene `i`, or when it fails the next ones in direction `dir` (SceneOpener); the index shown or -1. */
  openFirstLoadable(i: number, dir: 1 | -1, keepLinkState = false): Promise<number> {
    return this.opener.openFirstLoadable(i, dir, keepLinkState);
  }

  /** Loads scene `i` (true when drawn); with `keepLinkState` the camera and range of the URL are kept. */
  loadScene(i: number, keepLinkState = false): Promise<boolean> {
    return this.opener.loadScene(i, keepLinkState);
  }

  /** Puts a loaded scene on screen and records the load once its first frame is drawn. */
  private show(ref: SceneRef, loaded: Loaded, keepLinkState: boolean, t0: number): void {
    const cloud = loaded.cloud;
    this.resolveClasses(cloud);
    this.view.setCloud(cloud);
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
    this.view.whenDrawn(() => {
      const now = performance.now();
      this.lastLoad = {
        scene: ref.name,
        points: cloud.count,
        bytes: loaded.bytes,
        ...loaded.timings,
        total: now - t0,
        sincePageStart: now,
      };
      this.status.set();
      document.body.dataset.loaded = ref.name;
    });
  }

  private resolveClasses(cloud: ViewerCloud): void {
    this.shown = this.scenes.classes(this.state.labels);
    this.stats = sceneStats(cloud, this.shown.ignoreLabel);
  }

  private rebuildColorPanel(): void {
    const cloud = this.view.current;
    if (!cloud) return;
    const modes = Object.fromEntries(availableModes(cloud).map((m) => [m.label, m.id]));
    const listing = this.scenes.listing;
    const sets = listing?.kind !== 'predictions' && cloud.gt ? labelSetMenu(this.scenes.labelSets) : null;
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
      const i = this.scenes.indexOf(change.scene ?? null);
      if (i >= 0) void this.openFirstLoadable(i, 1);
      return;
    }
    if (labelsChanged && this.view.current) {
      this.state.hidden = [];
      this.resolveClasses(this.view.current);
    }
    if (modeChanged || labelsChanged) this.rebuildColorPanel();
    this.applySettings();
    if (splitChanged) this.view.refit(); // half the width: keep the scene in view
  }

  /** Pushes the state into the view, legend, panel, status line and URL. */
  private applySettings(): void {
    const s = this.state;
    const v = this.view;
    const entry = this.scenes.current?.entry;
    const { mode, range, ramp } = applyStateToView(v, s, this.shown, entry?.boxes);
    const cloud = v.current;
    this.legend.show(
      cloud &&
        legendContent({
          cloud,
          mode,
          split: v.splitActive(),
          classes: this.shown.classes,
          ignoreLabel: this.shown.ignoreLabel,
          stats: this.stats,
          entry,
          hidden: s.hidden,
          hiddenErrors: s.hiddenErrors,
          range,
          ramp,
        }),
    );
    this.dom.splitLabels.hidden = !v.splitActive();
    Object.assign(this.panel.params, paramsFromState(s, ramp, range));
    this.panel.refresh();
    this.status.set();
    v.requestRender();
    this.link.schedule();
  }

  /** Steps through the scene list (wrapping). */
  step(delta: number): void {
    const n = this.scenes.count;
    if (!n) return;
    void this.openFirstLoadable((((this.scenes.index + delta) % n) + n) % n, delta < 0 ? -1 : 1);
  }

  /** Adds a dropped or picked file as a scene and shows it. */
  openFile(file: File): void {
    const i = this.scenes.add(file.name, { fileName: file.name, file });
    this.panel.setScenes(this.scenes.names());
    void this.loadScene(i);
  }

  /** Adds a cloud made in the page (a segmented file) as a scene and shows it by prediction. */
  addCloud(name: string, cloud: ViewerCloud, classes: SceneClasses): void {
    const i = this.scenes.add(name, { fileName: name, cloud, classes });
    this.panel.setScenes(this.scenes.names());
    this.state.mode = 'pred';
    this.state.hidden = [];
    void this.loadScene(i);
  }

  /** Picks the point under a CSS-pixel position of the canvas and shows its details. */
  pickAt(x: number, y: number): number | null {
    const hit = this.view.pick(x, y);
    const cloud = this.view.current;
    this.view.setMarker(hit?.index ?? null);
    if (!hit || !cloud) {
      this.dom.pick.hidden = true;
      return null;
    }
    const details = pickDetails(cloud, hit.index, classesById(this.shown.classes), this.shown.ignoreLabel);
    showTable(this.dom.pick, details);
    return hit.index;
  }

  /** Renders a frame and downloads it as a PNG. */
  async downloadScreenshot(): Promise<void> {
    const blob = await this.view.screenshot();
    downloadBlob(blob, `${this.state.scene ?? 'pointcontrast'}-${this.state.mode ?? 'view'}.png`);
  }

  private statusFacts(): StatusFacts | null {
    const c = this.view.current;
    if (!c) return null;
    return {
      title: this.scenes.listing?.title,
      scene: this.state.scene,
      count: c.count,
      budget: this.state.budget,
      loadMs: this.lastLoad?.total,
    };
  }
}
