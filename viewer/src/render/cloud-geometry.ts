/**
 * A scene's arrays as a three.js BufferGeometry: positions, 8-bit colours, gt / pred / instance as
 * integer attributes, the bounds from the scene (no recomputation); and binding one scalar field.
 */
import * as THREE from 'three';
import type { ViewerCloud } from '../scenes/viewer-cloud.js';

/** The geometry of `cloud` (its typed arrays are used as they are, not copied). */
export function cloudGeometry(cloud: ViewerCloud): THREE.BufferGeometry {
  const g = new THREE.BufferGeometry();
  g.setAttribute('position', new THREE.BufferAttribute(cloud.positions, 3));
  if (cloud.colors) g.setAttribute('rgb', new THREE.BufferAttribute(cloud.colors, 3, true));
  const intAttr = (name: string, a: Int32Array | undefined): void => {
    if (!a) return;
    const attr = new THREE.BufferAttribute(a, 1);
    attr.gpuType = THREE.IntType;
    g.setAttribute(name, attr);
  };
  intAttr('gtLabel', cloud.gt);
  intAttr('predLabel', cloud.pred);
  intAttr('instanceId', cloud.instance);
  const b = cloud.bounds;
  g.boundingBox = new THREE.Box3(new THREE.Vector3(...b.min), new THREE.Vector3(...b.max));
  g.boundingSphere = g.boundingBox.getBoundingSphere(new THREE.Sphere());
  return g;
}

/** Binds the scalar field `name` of `cloud` to the `scalar` attribute (none: removes it). */
export function bindScalarField(g: THREE.BufferGeometry, cloud: ViewerCloud, name: string | null): void {
  const values = name ? cloud.scalars[name] : undefined;
  if (values) g.setAttribute('scalar', new THREE.BufferAttribute(values, 1));
  else g.deleteAttribute('scalar');
}
