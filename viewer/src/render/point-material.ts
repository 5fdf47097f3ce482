/**
 * The one point ShaderMaterial: a #define per colour mode (Potree style), integer gt/pred/instance
 * attributes, a 256×1 label LUT whose alpha hides a class, a ramp texture for scalar fields, and a
 * PICK variant that writes the point index (gl_VertexID + 1) as RGBA8 for GPU picking.
 */
import * as THREE from 'three';
import { LUT_SIZE } from '../colors/label-lut.js';

/** Colour modes the shader knows (scalar fields and confidence are 'scalar'). */
export type ShaderMode = 'rgb' | 'gt' | 'pred' | 'error' | 'instance' | 'height' | 'scalar';

/** Which attributes the geometry has. */
export interface AttributeSet {
  rgb: boolean;
  gt: boolean;
  pred: boolean;
  instance: boolean;
  scalar: boolean;
}

/** What one material variant draws. */
export interface MaterialKey {
  mode: ShaderMode;
  /** Label whose LUT alpha hides points (class toggles). */
  filter: 'gt' | 'pred' | null;
  attrs: AttributeSet;
  pick: boolean;
}

/** Uniforms shared by every variant (one LUT, one ramp, one size). */
export interface PointUniforms {
  [name: string]: THREE.IUniform;
  uSize: THREE.IUniform<number>;
  uLut: THREE.IUniform<THREE.DataTexture>;
  uRamp: THREE.IUniform<THREE.DataTexture>;
  uRange: THREE.IUniform<THREE.Vector2>;
  uIgnoreLabel: THREE.IUniform<number>;
  uIgnoreColor: THREE.IUniform<THREE.Vector4>;
  uOtherColor: THREE.IUniform<THREE.Vector4>;
  uErrorColors: THREE.IUniform<THREE.Vector3[]>;
  uErrorVisible: THREE.IUniform<THREE.Vector3>;
}

function rgbaTexture(width: number): THREE.DataTexture {
  const tex = new THREE.DataTexture(new Uint8Array(width * 4), width, 1, THREE.RGBAFormat);
  tex.magFilter = THREE.NearestFilter;
  tex.minFilter = THREE.NearestFilter;
  tex.generateMipmaps = false;
  tex.needsUpdate = true;
  return tex;
}

/** Fresh shared uniforms (LUT and ramp filled later). */
export function createPointUniforms(): PointUniforms {
  const ramp = rgbaTexture(256);
  ramp.magFilter = THREE.LinearFilter;
  return {
    uSize: { value: 2 },
    uLut: { value: rgbaTexture(LUT_SIZE) },
    uRamp: { value: ramp },
    uRange: { value: new THREE.Vector2(0, 1) },
    uIgnoreLabel: { value: -1 },
    uIgnoreColor: { value: new THREE.Vector4(0.45, 0.45, 0.45, 1) },
    uOtherColor: { value: new THREE.Vector4(0.8, 0.8, 0.8, 1) },
    uErrorColors: {
      value: [
        new THREE.Vector3(0.55, 0.78, 0.55),
        new THREE.Vector3(0.9, 0.12, 0.12),
        new THREE.Vector3(0.45, 0.45, 0.45),
      ],
    },
    uErrorVisible: { value: new THREE.Vector3(1, 1, 1) },
  };
}

const VERTEX = /* glsl */ `
precision highp float;
precision highp int;
uniform float uSize;
uniform sampler2D uLut;
uniform sampler2D uRamp;
uniform vec2 uRange;
uniform int uIgnoreLabel;
uniform vec4 uIgnoreColor;
uniform vec4 uOtherColor;
uniform vec3 uErrorColors[3];
uniform vec3 uErrorVisible;
#ifdef HAS_RGB
in vec3 rgb;
#endif
#ifdef HAS_GT
in int gtLabel;
#endif
#ifdef HAS_PRED
in int predLabel;
#endif
#ifdef HAS_INSTANCE
in int instanceId;
#endif
#ifdef HAS_SCALAR
in float scalar;
#endif
#ifdef PICK
flat out uint vIndex;
#else
out vec3 vColor;
#endif

vec4 labelColor(int id) {
  if (id < 0 || id == uIgnoreLabel) return uIgnoreColor;
  if (id >= ${LUT_SIZE}) return uOtherColor;
  return texelFetch(uLut, ivec2(id, 0), 0);
}

vec3 rampColor(float v) {
  float t = clamp((v - uRange.x) / max(uRange.y - uRange.x, 1e-30), 0.0, 1.0);
  return texture(uRamp, vec2((t * 255.0 + 0.5) / 256.0, 0.5)).rgb;
}

// Same bytes as instanceColor() in colors/colors.ts.
vec3 instanceColor(int id) {
  if (id < 0) return vec3(128.0 / 255.0);
  uint h = uint(id + 1) * 0x9e3779b1u;
  h ^= h >> 15u;
  h *= 0x85ebca6bu;
  h ^= h >> 13u;
  uvec3 c = uvec3(h & 255u, (h >> 8u) & 255u, (h >> 16u) & 255u);
  return vec3(uvec3(40u) + ((c * 215u) >> 8u)) / 255.0;
}

void main() {
  float visible = 1.0;
#if defined(FILTER_GT) && defined(HAS_GT)
  visible = labelColor(gtLabel).a;
#elif defined(FILTER_PRED) && defined(HAS_PRED)
  visible = labelColor(predLabel).a;
#endif
  vec3 c = vec3(0.8);
#if defined(MODE_RGB) && defined(HAS_RGB)
  c = rgb;
#elif defined(MODE_GT) && defined(HAS_GT)
  c = labelColor(gtLabel).rgb;
#elif defined(MODE_PRED) && defined(HAS_PRED)
  c = labelColor(predLabel).rgb;
#elif defined(MODE_ERROR) && defined(HAS_GT) && defined(HAS_PRED)
  int k = (gtLabel < 0 || gtLabel == uIgnoreLabel) ? 2 : (predLabel == gtLabel ? 0 : 1);
  c = uErrorColors[k];
  visible *= uErrorVisible[k];
#elif defined(MODE_INSTANCE) && defined(HAS_INSTANCE)
  c = instanceColor(instanceId);
#elif defined(MODE_HEIGHT)
  c = rampColor(position.z);
#elif defined(MODE_SCALAR) && defined(HAS_SCALAR)
  c = rampColor(scalar);
#endif
  if (visible < 0.5) {
    // Hidden class: outside the clip volume, nothing is rasterised.
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    return;
  }
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  gl_PointSize = uSize;
#ifdef PICK
  vIndex = uint(gl_VertexID) + 1u;
#else
  vColor = c;
#endif
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
precision highp int;
#ifdef PICK
flat in uint vIndex;
#else
in vec3 vColor;
#endif
out vec4 fragColor;
void main() {
#ifdef PICK
  fragColor = vec4(uvec4(vIndex & 255u, (vIndex >> 8u) & 255u, (vIndex >> 16u) & 255u, vIndex >> 24u)) / 255.0;
#else
  fragColor = vec4(vColor, 1.0);
#endif
}
`;

function definesFor(key: MaterialKey): Record<string, string> {
  const d: Record<string, string> = { [`MODE_${key.mode.toUpperCase()}`]: '' };
  if (key.filter) d[`FILTER_${key.filter.toUpperCase()}`] = '';
  if (key.attrs.rgb) d.HAS_RGB = '';
  if (key.attrs.gt) d.HAS_GT = '';
  if (key.attrs.pred) d.HAS_PRED = '';
  if (key.attrs.instance) d.HAS_INSTANCE = '';
  if (key.attrs.scalar) d.HAS_SCALAR = '';
  if (key.pick) d.PICK = '';
  return d;
}

/** Caches one ShaderMaterial per variant; all share `uniforms`. */
export class PointMaterials {
  private readonly cache = new Map<string, THREE.ShaderMaterial>();
  constructor(readonly uniforms: PointUniforms) {}

  /** The material for a variant (compiled once). */
  get(key: MaterialKey): THREE.ShaderMaterial {
    const id = JSON.stringify(key);
    let m = this.cache.get(id);
    if (!m) {
      m = new THREE.ShaderMaterial({
        glslVersion: THREE.GLSL3,
        vertexShader: VERTEX,
        fragmentShader: FRAGMENT,
        uniforms: this.uniforms,
        defines: definesFor(key),
      });
      this.cache.set(id, m);
    }
    return m;
  }

  /** Frees every compiled variant (on scene change). */
  dispose(): void {
    for (const m of this.cache.values()) m.dispose();
    this.cache.clear();
  }
}

/** Overwrites the texels of a LUT/ramp texture and schedules the upload. */
export function setTexels(tex: THREE.DataTexture, texels: Uint8Array): void {
  const data = tex.image.data as Uint8Array | null;
  if (!data || data.length !== texels.length)
    throw new Error(`texture holds ${data?.length ?? 0} bytes, got ${texels.length}`);
  data.set(texels);
  tex.needsUpdate = true;
}
