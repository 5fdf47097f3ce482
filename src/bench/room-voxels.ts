/**
 * A room-like voxel set for benchmarks (the same construction as the PyTorch peer benchmark):
 * an 8 × 6 × 3 m room — floor, four walls and twelve box-like pieces of furniture — sampled as
 * surface points and voxelised. scale = 50000 gives ≈ 210k voxels at 2.5 cm.
 */
import { Rng } from '../core/rng.js';
import { voxelize } from '../geometry/voxelize.js';

/** Unique voxel coordinates (M×3, int32) of the benchmark room. */
export function roomSurfaceVoxels(scale = 50000, voxel = 0.025, seed = 0): Int32Array {
  const r = new Rng(seed).rand();
  const n = scale * 4;
  const planes: [number[], number[], number[], number][] = [
    [[0, 0, 0], [8, 0, 0], [0, 6, 0], n],
    [[0, 0, 0], [8, 0, 0], [0, 0, 3], n / 2],
    [[0, 6, 0], [8, 0, 0], [0, 0, 3], n / 2],
    [[0, 0, 0], [0, 6, 0], [0, 0, 3], n / 2],
    [[8, 0, 0], [0, 6, 0], [0, 0, 3], n / 2],
  ];
  for (let i = 0; i < 12; i++) {
    const c = [r() * 7, r() * 5];
    const s = [0.3 + r() * 0.7, 0.3 + r() * 0.7, 0.3 + r() * 0.7];
    planes.push([[c[0], c[1], s[2]], [s[0], 0, 0], [0, s[1], 0], n / 20]);
    planes.push([[c[0], c[1], 0], [s[0], 0, 0], [0, 0, s[2]], n / 20]);
  }
  let total = 0;
  for (const p of planes) total += Math.floor(p[3]);
  const pts = new Float32Array(total * 3);
  let k = 0;
  for (const [o, u, v, count] of planes) {
    for (let i = 0; i < Math.floor(count); i++) {
      const a = r();
      const b = r();
      for (let d = 0; d < 3; d++) pts[k++] = o[d] + a * u[d] + b * v[d];
    }
  }
  return voxelize(pts, voxel).coords;
}
