/**
 * Ground-truth and predicted boxes as two LineSegments coloured by class, plus DOM score labels
 * ("chair 0.87") placed over the predicted boxes after each render.
 */
import * as THREE from 'three';
import { boxSegments } from './box-lines.js';
import type { Rgb } from '../colors/colors.js';
import type { Box } from '../../../src/core/viewer-contract.js';

const VERTEX = /* glsl */ `
in vec3 rgb;
out vec3 vColor;
void main() {
  vColor = rgb;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;
const FRAGMENT = /* glsl */ `
precision highp float;
in vec3 vColor;
out vec4 fragColor;
void main() { fragColor = vec4(vColor, 1.0); }
`;

function lines(boxes: readonly Box[], color: (b: Box) => Rgb, material: THREE.Material): THREE.LineSegments {
  const { positions, colors } = boxSegments(boxes, (i) => color(boxes[i]));
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  g.setAttribute('rgb', new THREE.BufferAttribute(colors, 3, true));
  const obj = new THREE.LineSegments(g, material);
  obj.frustumCulled = false;
  return obj;
}

/** Boxes of one scene (empty when the scene has none). */
export class BoxesView {
  readonly gt = new THREE.Group();
  readonly pred = new THREE.Group();
  private readonly material = new THREE.ShaderMaterial({
    glslVersion: THREE.GLSL3,
    vertexShader: VERTEX,
    fragmentShader: FRAGMENT,
  });
  private labels: { el: HTMLElement; anchor: THREE.Vector3 }[] = [];
  private predBoxes: Box[] = [];

  constructor(private readonly labelLayer: HTMLElement) {}

  private gtCount = 0;

  /** Count of boxes shown (gt, pred). */
  counts(): { gt: number; pred: number } {
    return { gt: this.gtCount, pred: this.predBoxes.length };
  }

  /** Rebuilds both sets: boxes of hidden classes and predictions under `minScore` are left out. */
  set(
    boxes: { gt?: Box[]; pred?: Box[] } | undefined,
    color: (label: number) => Rgb,
    name: (label: number) => string,
    isHidden: (label: number) => boolean,
    minScore: number,
  ): void {
    this.clear();
    const gt = (boxes?.gt ?? []).filter((b) => !isHidden(b.label));
    this.predBoxes = (boxes?.pred ?? []).filter((b) => !isHidden(b.label) && (b.score ?? 1) >= minScore);
    this.gtCount = gt.length;
    if (gt.length) this.gt.add(lines(gt, (b) => color(b.label), this.material));
    if (this.predBoxes.length) this.pred.add(lines(this.predBoxes, (b) => color(b.label), this.material));
    for (const b of this.predBoxes) {
      const el = document.createElement('div');
      el.className = 'box-label';
      el.textContent = `${name(b.label)} ${b.score === undefined ? '' : b.score.toFixed(2)}`.trim();
      const c = color(b.label);
      el.style.borderColor = `rgb(${c[0]},${c[1]},${c[2]})`;
      this.labelLayer.appendChild(el);
      this.labels.push({
        el,
        anchor: new THREE.Vector3(b.center[0], b.center[1], b.center[2] + b.size[2] / 2),
      });
    }
  }

  /**
   * Places the score labels for a camera and the CSS-pixel viewport the predicted boxes are
   * drawn in (null hides them).
   */
  placeLabels(camera: THREE.Camera, viewport: { x: number; y: number; w: number; h: number } | null): void {
    const v = new THREE.Vector3();
    for (const { el, anchor } of this.labels) {
      v.copy(anchor).project(camera);
      const inside = viewport && v.z < 1 && Math.abs(v.x) <= 1 && Math.abs(v.y) <= 1;
      el.style.display = inside ? '' : 'none';
      if (!inside) continue;
      el.style.left = `${viewport.x + ((v.x + 1) / 2) * viewport.w}px`;
      el.style.top = `${viewport.y + ((1 - v.y) / 2) * viewport.h}px`;
    }
  }

  /** Removes all boxes and labels. */
  clear(): void {
    for (const g of [this.gt, this.pred]) {
      for (const c of g.children) (c as THREE.LineSegments).geometry.dispose();
      g.clear();
    }
    for (const l of this.labels) l.el.remove();
    this.labels = [];
    this.predBoxes = [];
    this.gtCount = 0;
  }
}
