/**
 * Eye-dome lighting as a post pass (after Potree's EDLRenderer, itself from CloudCompare's qEDL):
 * the scene is drawn into a colour + depth target; each pixel is darkened by how much nearer its
 * neighbours at `radius` pixels are, in log depth. Strength 0 makes the pass a plain copy.
 */
import * as THREE from 'three';

const VERTEX = /* glsl */ `
out vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
uniform sampler2D tColor;
uniform sampler2D tDepth;
uniform vec2 uTexel;
uniform float uNear;
uniform float uFar;
uniform float uRadius;
uniform float uStrength;
in vec2 vUv;
out vec4 fragColor;

// log2 of the view-space distance of a perspective depth-buffer value; 0 marks the background.
float logDepth(vec2 uv) {
  float d = texture(tDepth, uv).r;
  if (d >= 1.0) return 0.0;
  float z = d * 2.0 - 1.0;
  float viewZ = 2.0 * uNear * uFar / (uFar + uNear - z * (uFar - uNear));
  return log2(viewZ);
}

void main() {
  vec4 color = texture(tColor, vUv);
  if (uStrength <= 0.0) {
    fragColor = vec4(color.rgb, 1.0);
    return;
  }
  float center = logDepth(vUv);
  float sum = 0.0;
  for (int i = 0; i < 8; i++) {
    float a = float(i) * 0.7853981634;
    vec2 uv = vUv + uRadius * uTexel * vec2(cos(a), sin(a));
    float n = logDepth(uv);
    if (n == 0.0) continue; // background neighbour: no occluder there
    sum += center == 0.0 ? 100.0 : max(0.0, center - n); // background next to a point: outline
  }
  float shade = exp(-(sum / 8.0) * 300.0 * uStrength);
  fragColor = vec4(color.rgb * shade, 1.0);
}
`;

/** Off-screen target + full-screen pass; resize with the canvas. */
export class EdlPass {
  readonly target: THREE.WebGLRenderTarget;
  private readonly material: THREE.ShaderMaterial;
  private readonly quad: THREE.Mesh;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1);

  constructor() {
    this.target = new THREE.WebGLRenderTarget(1, 1, {
      depthTexture: new THREE.DepthTexture(1, 1, THREE.UnsignedIntType),
      minFilter: THREE.NearestFilter,
      magFilter: THREE.NearestFilter,
    });
    this.material = new THREE.ShaderMaterial({
      glslVersion: THREE.GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        tColor: { value: this.target.texture },
        tDepth: { value: this.target.depthTexture },
        uTexel: { value: new THREE.Vector2(1, 1) },
        uNear: { value: 0.01 },
        uFar: { value: 100 },
        uRadius: { value: 1.4 },
        uStrength: { value: 0.4 },
      },
    });
    this.quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2), this.material);
    this.quad.frustumCulled = false;
    this.scene.add(this.quad);
  }

  /** Matches the target to the drawing buffer (device pixels). */
  setSize(width: number, height: number): void {
    if (this.target.width === width && this.target.height === height) return;
    this.target.setSize(width, height);
    this.material.uniforms.uTexel.value.set(1 / width, 1 / height);
  }

  /** Draws the target to the canvas, shaded with EDL (strength 0 = off). */
  composite(
    renderer: THREE.WebGLRenderer,
    camera: THREE.PerspectiveCamera,
    radius: number,
    strength: number,
  ): void {
    const u = this.material.uniforms;
    u.uNear.value = camera.near;
    u.uFar.value = camera.far;
    u.uRadius.value = radius;
    u.uStrength.value = strength;
    renderer.setRenderTarget(null);
    renderer.render(this.scene, this.camera);
  }

  /** Frees GPU memory. */
  dispose(): void {
    this.target.dispose();
    this.material.dispose();
    this.quad.geometry.dispose();
  }
}
