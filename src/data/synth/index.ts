/**
 * The synthetic indoor-scene generator (platform-free): `generateScene` plus the label map, the
 * surface description for renderers, and the sampler for custom surface sets.
 */
export {
  generateScene,
  synthSceneName,
  DEFAULT_NOISE,
  DEFAULT_POINTS_PER_M2,
  type SynthBox,
  type SynthOptions,
  type SynthScene,
} from './scene.js';
export {
  SYNTH_LABEL_MAP,
  NUM_SYNTH_CLASSES,
  ROOM_TYPES,
  L as SYNTH_CLASS_ID,
  type RoomType,
  type SynthClass,
  type SynthLabelMap,
} from './classes.js';
export { sampleSurfaces, surfaceArea, surfaceBounds, type SampleOptions } from './sample.js';
export { surfaceMesh, type SurfaceMesh } from './mesh.js';
export type {
  SynthSurface,
  QuadSurface,
  FrustumSurface,
  DiskSurface,
  SceneSolid,
  Block,
  Material,
  Vec3,
  Pose,
} from './shape.js';
export type { SynthObject } from './world.js';
export { writeSynthDataset, synthScenePly, type SynthIndex, type SynthIndexEntry } from './export.js';

import type { SynthScene } from './scene.js';
import type { SynthSurface } from './shape.js';

/** The parametric surfaces of a scene (world coordinates; see docs/synthetic-scenes.md). */
export function sceneSurfaces(scene: SynthScene): readonly SynthSurface[] {
  return scene.surfaces;
}
