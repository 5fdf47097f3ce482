/**
 * The marker of the picked point: a magenta ring of fixed screen size, drawn over everything.
 */
import * as THREE from 'three';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

const MARKER_VERTEX = /* glsl */ `
void main() {
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = 22.0;
}
`;
const MARKER_FRAGMENT = /* glsl */ `
precision highp float;
out vec4 fragColor;
void main() {
  float r = length(gl_PointCoord - 0.5) * 2.0;
  if (r > 1.0 || r < 0.6) discard;
  fragColor = vec4(1.0, 0.2, 1.0, 1.0);
}
`;

/** A one-point object to add to the scene; hidden until a point is placed. */
export function createPickMarker(): THREE.Points {
  const mg = new THREE.BufferGeometry();
  mg.setAttribute('position', new THREE.BufferAttribute(new Float32Array(3), 3));
  const marker = new THREE.Points(
    mg,
    new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: MARKER_VERTEX,
      fragmentShader: MARKER_FRAGMENT,
      depthTest: false,
    }),
  );
  marker.visible = false;
  marker.renderOrder = 10;
  marker.frustumCulled = false;
  return marker;
}

/** Shows `marker` on point `index` of `cloud` (null, or no cloud, hides it). */
export function placePickMarker(marker: THREE.Points, cloud: ViewerCloud | null, index: number | null): void {
  if (index === null || !cloud) {
    marker.visible = false;
    return;
  }
  const attr = marker.geometry.getAttribute('position') as THREE.BufferAttribute;
  attr.setXYZ(
    0,
    ...(Array.from(cloud.positions.subarray(index * 3, index * 3 + 3)) as [number, number, number]),
  );
  attr.needsUpdate = true;
  marker.visible = true;
}
