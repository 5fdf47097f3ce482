/**
 * The lil-gui parameter panel: scene list (with previous / next / open file), colour mode, ramp
 * and range, label set, point size and budget, EDL, background, split view, boxes, camera views and
 * the screenshot button. It only edits `params` and calls back; the app owns the state.
 */
import GUI, { type Controller } from 'lil-gui';
import { RAMP_NAMES } from '../colors/color-ramp.js';
import type { ViewState } from '../app/url-state.js';

/** The view settings the panel edits as the URL state holds them. */
type SharedSettings = Pick<
  ViewState,
  'pointSize' | 'budget' | 'edl' | 'edlRadius' | 'edlStrength' | 'background' | 'split' | 'boxes' | 'minScore'
>;

/** Values the panel edits. */
export interface PanelParams extends SharedSettings {
  scene: string;
  mode: string;
  ramp: string;
  min: number;
  max: number;
  labels: string;
}

/** Callbacks into the app. */
export interface PanelActions {
  changed(key: keyof PanelParams): void;
  prevScene(): void;
  nextScene(): void;
  openFile(): void;
  /** Opens the file picker for in-browser segmentation. */
  segmentFile(): void;
  view(name: 'iso' | 'top' | 'front'): void;
  autoRange(): void;
  screenshot(): void;
}

export class Panel {
  readonly gui = new GUI({ title: 'pointcontrast' });
  private readonly sceneFolder = this.gui.addFolder('scene');
  private readonly colorFolder = this.gui.addFolder('colour');
  private readonly rangeCtrls: Controller[] = [];
  private budgetCtrl: Controller | null = null;
  private splitCtrl: Controller | null = null;

  constructor(
    readonly params: PanelParams,
    private readonly actions: PanelActions,
  ) {
    const p = params;
    const on = (key: keyof PanelParams) => () => actions.changed(key);
    const view = this.gui.addFolder('view');
    view.add(p, 'pointSize', 0.5, 16, 0.5).name('point size').onChange(on('pointSize'));
    this.budgetCtrl = view
      .add(p, 'budget', 10_000, 10_000_000, 10_000)
      .name('point budget')
      .onFinishChange(on('budget'));
    view.add(p, 'edl').name('eye-dome lighting').onChange(on('edl'));
    view.add(p, 'edlRadius', 0.5, 4, 0.1).name('EDL radius').onChange(on('edlRadius'));
    view.add(p, 'edlStrength', 0, 2, 0.05).name('EDL strength').onChange(on('edlStrength'));
    view.addColor(p, 'background').name('background').onChange(on('background'));
    this.splitCtrl = view.add(p, 'split').name('split: gt | pred').onChange(on('split'));
    view.add(p, 'boxes').name('boxes').onChange(on('boxes'));
    view.add(p, 'minScore', 0, 1, 0.05).name('min box score').onChange(on('minScore'));
    const cam = this.gui.addFolder('camera');
    cam.add({ fit: () => actions.view('iso') }, 'fit').name('fit (f)');
    cam.add({ top: () => actions.view('top') }, 'top').name('top view (t)');
    cam.add({ front: () => actions.view('front') }, 'front').name('front view');
    cam.add({ shot: () => actions.screenshot() }, 'shot').name('screenshot (PNG)');
  }

  /** Rebuilds the scene list. */
  setScenes(names: string[]): void {
    for (const c of [...this.sceneFolder.controllers]) c.destroy();
    const options = names.length ? names : ['(none)'];
    if (!options.includes(this.params.scene)) this.params.scene = options[0];
    // long names wrap instead of being cut (a scan and its "(segmented)" copy stay apart)
    this.sceneFolder
      .add(this.params, 'scene', options)
      .name('scene')
      .onChange(() => this.actions.changed('scene'))
      .domElement.classList.add('pc-scene-select');
    this.sceneFolder.add({ prev: () => this.actions.prevScene() }, 'prev').name('◀ previous (p)');
    this.sceneFolder.add({ next: () => this.actions.nextScene() }, 'next').name('next (n) ▶');
    this.sceneFolder.add({ open: () => this.actions.openFile() }, 'open').name('open PLY/PCD file…');
    this.sceneFolder.add({ segment: () => this.actions.segmentFile() }, 'segment').name('Segment a file…');
  }

  /**
   * Rebuilds the colour folder for a scene: modes as {label: id}, label sets (scans only) as
   * {label: value}, and ramp/range controls shown only for scalar modes.
   */
  setColorOptions(
    modes: Record<string, string>,
    labelSets: Record<string, string> | null,
    scalar: boolean,
  ): void {
    for (const c of [...this.colorFolder.controllers]) c.destroy();
    this.rangeCtrls.length = 0;
    const on = (key: keyof PanelParams) => () => this.actions.changed(key);
    this.colorFolder.add(this.params, 'mode', modes).name('colour by').onChange(on('mode'));
    if (labelSets)
      this.colorFolder.add(this.params, 'labels', labelSets).name('label set').onChange(on('labels'));
    if (!scalar) return;
    this.rangeCtrls.push(
      this.colorFolder.add(this.params, 'ramp', RAMP_NAMES).name('ramp').onChange(on('ramp')),
      this.colorFolder.add(this.params, 'min').name('min').onFinishChange(on('min')),
      this.colorFolder.add(this.params, 'max').name('max').onFinishChange(on('max')),
      this.colorFolder.add({ auto: () => this.actions.autoRange() }, 'auto').name('auto range'),
    );
  }

  /** Sets the budget slider's maximum to the scene size and enables split only when possible. */
  setSceneLimits(points: number, canSplit: boolean): void {
    this.budgetCtrl?.max(Math.max(10_000, points));
    this.splitCtrl?.enable(canSplit);
  }

  /** Redraws every control from `params`. */
  refresh(): void {
    for (const c of this.gui.controllersRecursive()) c.updateDisplay();
  }
}
