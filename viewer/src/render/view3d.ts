/**
 * The 3D view: one position buffer on the GPU, rendered on demand into one or two scissored
 * viewports (gt | prediction) sharing one camera, through the EDL pass; GPU picking of a point
 * index; a point budget via setDrawRange; PNG screenshots.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { BoxesView } from './boxes-view.js';
import { nearestPickedIndex, pickCamera, PICK_WINDOW } from './picker.js';
import { adaptInteractiveBudget, INTERACTIVE_BUDGET } from './budget.js';
import { fitPose, type CameraPose, type ViewName } from './camera-fit.js';
import type { Rgb } from '../colors/colors.js';
import { EdlPass } from './edl-pass.js';
import { createPointUniforms, PointMaterials, type MaterialKey } from './point-material.js';
import { materialKey } from './material-key.js';
import { applyColoring, type Coloring } from './coloring.js';
import { bindScalarField, cloudGeometry } from './cloud-geometry.js';
import { createPickMarker, placePickMarker } from './pick-marker.js';
import { layoutViewports, viewportAt, type Viewport } from './viewports.js';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

/** What the view draws; changed by the app, then requestRender(). */
export interface RenderSettings {
  mode: string;
  split: boolean;
  pointSize: number;
  budget: number;
  edl: boolean;
  edlRadius: number;
  edlStrength: number;
  background: Rgb;
  boxes: boolean;
}

const FOV = 55;

export class View3D {
  readonly renderer: THREE.WebGLRenderer;
  readonly camera = new THREE.PerspectiveCamera(FOV, 1, 0.01, 1000);
  readonly controls: OrbitControls;
  readonly materials = new PointMaterials(createPointUniforms());
  readonly boxes: BoxesView;
  /** Frames drawn so far. */
  frames = 0;
  /** Called after every frame. */
  onRender: (() => void) | null = null;
  /** Called when the user moves the camera. */
  onCameraChange: (() => void) | null = null;
  settings: RenderSettings = {
    mode: 'height',
    split: false,
    pointSize: 2,
    budget: 3_000_000,
    edl: true,
    edlRadius: 1.4,
    edlStrength: 0.4,
    background: [27, 29, 34],
    boxes: true,
  };

  private readonly scene = new THREE.Scene();
  private readonly edl = new EdlPass();
  private readonly pickTarget = new THREE.WebGLRenderTarget(PICK_WINDOW, PICK_WINDOW);
  private readonly marker = createPickMarker();
  private cloud: ViewerCloud | null = null;
  private geometry: THREE.BufferGeometry | null = null;
  private points: THREE.Points | null = null;
  private scalarName: string | null = null;
  private pending = false;
  private interacting = false;
  private settleTimer = 0;
  private radius = 1;
  /** Points drawn while the camera moves; adapted to how late frames come (a GPU-bound proxy). */
  private interactiveBudget = INTERACTIVE_BUDGET;

  constructor(
    private readonly container: HTMLElement,
    labelLayer: HTMLElement,
  ) {
    THREE.ColorManagement.enabled = false; // colours are display bytes end to end
    this.renderer = new THREE.WebGLRenderer({ antialias: false, powerPreference: 'high-performance' });
    this.renderer.outputColorSpace = THREE.LinearSRGBColorSpace;
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
    this.renderer.autoClear = false;
    container.appendChild(this.renderer.domElement);
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.addEventListener('change', () => {
      this.requestRender();
      this.onCameraChange?.();
    });
    this.controls.addEventListener('start', () => (this.interacting = true));
    this.controls.addEventListener('end', () => {
      this.interacting = false;
      clearTimeout(this.settleTimer);
      this.settleTimer = window.setTimeout(() => this.requestRender(), 120);
    });
    this.boxes = new BoxesView(labelLayer);
    this.scene.add(this.boxes.gt, this.boxes.pred);
    this.scene.add(this.marker);
    new ResizeObserver(() => this.requestRender()).observe(container);
  }

  /** The cloud on the GPU (null before the first load). */
  get current(): ViewerCloud | null {
    return this.cloud;
  }

  /** Uploads a scene's arrays (the previous scene's buffers are freed). */
  setCloud(cloud: ViewerCloud): void {
    if (this.points) this.scene.remove(this.points);
    this.geometry?.dispose();
    this.materials.dispose();
    const g = cloudGeometry(cloud);
    this.radius = Math.max(1e-3, g.boundingSphere?.radius ?? 0);
    this.geometry = g;
    this.cloud = cloud;
    this.scalarName = null;
    this.points = new THREE.Points(g, this.materials.get(this.keyFor('single', false)));
    this.points.frustumCulled = false;
    this.scene.add(this.points);
    this.marker.visible = false;
    this.requestRender();
  }

  /** Binds a scalar field (by property name) to the `scalar` attribute. */
  setScalarField(name: string | null): void {
    if (!this.geometry || !this.cloud || name === this.scalarName) return;
    this.scalarName = name;
    bindScalarField(this.geometry, this.cloud, name);
    this.requestRender();
  }

  /** Updates the label LUT, ignore / error colours, scalar range and ramp. */
  setColoring(c: Coloring): void {
    applyColoring(this.materials.uniforms, c);
    this.requestRender();
  }

  /** The viewports for the current canvas size and split setting. */
  viewports(): Viewport[] {
    return layoutViewports(this.container.clientWidth, this.container.clientHeight, this.splitActive());
  }

  /** Split view needs both gt and pred. */
  splitActive(): boolean {
    return this.settings.split && !!this.cloud?.gt && !!this.cloud?.pred;
  }

  private keyFor(side: Viewport['side'], pick: boolean): MaterialKey {
    return materialKey(this.cloud, this.scalarName, this.settings.mode, side, pick);
  }

  /** Schedules one frame (render on demand: no loop). */
  requestRender(): void {
    if (this.pending) return;
    this.pending = true;
    const asked = performance.now();
    requestAnimationFrame(() => {
      this.pending = false;
      if (this.interacting) {
        this.interactiveBudget = adaptInteractiveBudget(this.interactiveBudget, performance.now() - asked);
      }
      this.renderNow();
    });
  }

  /** Points drawn per frame right now. */
  drawCount(): number {
    const n = this.cloud?.count ?? 0;
    const budget = this.interacting
      ? Math.min(this.settings.budget, this.interactiveBudget)
      : this.settings.budget;
    return Math.min(n, budget);
  }

  /** Draws a frame immediately. */
  renderNow(): void {
    const s = this.settings;
    const r = this.renderer;
    const cssW = Math.max(1, this.container.clientWidth);
    const cssH = Math.max(1, this.container.clientHeight);
    const size = r.getSize(new THREE.Vector2());
    if (size.x !== cssW || size.y !== cssH) r.setSize(cssW, cssH, false);
    const dpr = r.getPixelRatio();
    const bufW = Math.floor(cssW * dpr);
    const bufH = Math.floor(cssH * dpr);
    this.edl.setSize(bufW, bufH);
    this.updateClipPlanes();
    this.materials.uniforms.uSize.value = s.pointSize * dpr;
    this.geometry?.setDrawRange(0, this.drawCount());

    const target = this.edl.target;
    r.setClearColor(new THREE.Color(s.background[0] / 255, s.background[1] / 255, s.background[2] / 255), 1);
    target.scissorTest = false;
    target.viewport.set(0, 0, bufW, bufH);
    r.setRenderTarget(target);
    r.clear();
    let predViewport: Viewport | null = null;
    for (const vp of this.viewports()) {
      const rect = [vp.x * dpr, (cssH - vp.y - vp.h) * dpr, vp.w * dpr, vp.h * dpr] as const;
      target.viewport.set(...rect);
      target.scissor.set(...rect);
      target.scissorTest = true;
      r.setRenderTarget(target);
      this.camera.aspect = vp.w / vp.h;
      this.camera.updateProjectionMatrix();
      if (this.points) this.points.material = this.materials.get(this.keyFor(vp.side, false));
      this.boxes.gt.visible = s.boxes && vp.side !== 'pred';
      this.boxes.pred.visible = s.boxes && vp.side !== 'gt';
      if (s.boxes && vp.side !== 'gt') predViewport = vp;
      r.render(this.scene, this.camera);
    }
    target.scissorTest = false;
    this.edl.composite(r, this.camera, s.edlRadius, s.edl ? s.edlStrength : 0);
    if (predViewport) this.camera.aspect = predViewport.w / predViewport.h;
    this.camera.updateProjectionMatrix();
    this.boxes.placeLabels(this.camera, predViewport);
    this.frames++;
    this.onRender?.();
  }

  private updateClipPlanes(): void {
    const d = this.camera.position.distanceTo(this.controls.target);
    this.camera.near = Math.max(1e-4, Math.min(d * 0.01, this.radius * 0.01));
    this.camera.far = d + this.radius * 4;
  }

  /**
   * GPU pick: renders point indices in a small window around a CSS-pixel position and returns the
   * visible point nearest the cursor (null when none).
   */
  pick(cssX: number, cssY: number): { index: number; side: Viewport['side'] } | null {
    if (!this.points || !this.geometry) return null;
    const vp = viewportAt(this.viewports(), cssX, cssY);
    if (!vp) return null;
    const dpr = this.renderer.getPixelRatio();
    this.updateClipPlanes();
    const cam = pickCamera(this.camera, vp.w * dpr, vp.h * dpr, (cssX - vp.x) * dpr, (cssY - vp.y) * dpr);
    this.materials.uniforms.uSize.value = this.settings.pointSize * dpr;
    this.geometry.setDrawRange(0, Math.min(this.cloud?.count ?? 0, this.settings.budget));

    const r = this.renderer;
    const saved = { gt: this.boxes.gt.visible, pred: this.boxes.pred.visible, marker: this.marker.visible };
    this.boxes.gt.visible = this.boxes.pred.visible = this.marker.visible = false;
    this.points.material = this.materials.get(this.keyFor(vp.side, true));
    r.setRenderTarget(this.pickTarget);
    r.setClearColor(0x000000, 0);
    r.clear();
    r.render(this.scene, cam);
    const buf = new Uint8Array(PICK_WINDOW * PICK_WINDOW * 4);
    r.readRenderTargetPixels(this.pickTarget, 0, 0, PICK_WINDOW, PICK_WINDOW, buf);
    r.setRenderTarget(null);
    this.boxes.gt.visible = saved.gt;
    this.boxes.pred.visible = saved.pred;
    this.marker.visible = saved.marker;

    this.requestRender();
    const index = nearestPickedIndex(buf);
    return index === null ? null : { index, side: vp.side };
  }

  /** Shows the pick marker on point `index` (null hides it). */
  setMarker(index: number | null): void {
    placePickMarker(this.marker, this.cloud, index);
    this.requestRender();
  }

  /** Moves the camera to fit the scene from a named direction. */
  fit(view: ViewName = 'iso'): void {
    if (!this.cloud) return;
    const vp = this.viewports()[0];
    this.setPose(fitPose(this.cloud.bounds, FOV, vp.w / Math.max(1, vp.h), view));
  }

  /** Keeps the viewing direction but moves the camera so the whole scene fits the viewport again. */
  refit(): void {
    if (!this.cloud) return;
    const vp = this.viewports()[0];
    const dir = this.camera.position.clone().sub(this.controls.target);
    this.setPose(fitPose(this.cloud.bounds, FOV, vp.w / Math.max(1, vp.h), [dir.x, dir.y, dir.z]));
  }

  /** Sets camera position and orbit target. */
  setPose(pose: CameraPose): void {
    this.camera.position.set(...pose.position);
    this.controls.target.set(...pose.target);
    this.camera.lookAt(this.controls.target);
    this.controls.update();
    this.requestRender();
  }

  /** The current camera position and orbit target. */
  getPose(): CameraPose {
    const p = this.camera.position;
    const t = this.controls.target;
    return { position: [p.x, p.y, p.z], target: [t.x, t.y, t.z] };
  }

  /** Calls `done` once a frame after now has been drawn and the GPU has finished it. */
  whenDrawn(done: () => void): void {
    const frames = this.frames;
    this.onRender = () => {
      if (this.frames <= frames) return;
      this.onRender = null;
      this.renderer.getContext().readPixels(0, 0, 1, 1, 0x1908, 0x1401, new Uint8Array(4)); // wait for the GPU
      done();
    };
  }

  /** Renders a frame and returns it as a PNG. */
  screenshot(): Promise<Blob> {
    this.renderNow();
    return new Promise((resolve, reject) =>
      this.renderer.domElement.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('canvas is empty'))),
        'image/png',
      ),
    );
  }
}
