/**
 * The coordinate manager of one batch: the coordinate set at each tensor stride (built by
 * successive stride-2 down-sampling) and a cache of kernel maps per (stride, kernel, dilation),
 * shared by every layer that runs on the same coordinates, as in MinkowskiEngine.
 */
import type { CoordSet } from './coord-set.js';
import { downsampleMap, submanifoldMap, transposeMap, type KernelMap } from './kernel-map.js';

function log2(stride: number): number {
  const l = Math.log2(stride);
  if (!Number.isInteger(l) || l < 0)
    throw new RangeError(`tensor stride must be a power of two, got ${stride}`);
  return l;
}

export class CoordinateManager {
  readonly #levels: CoordSet[] = [];
  readonly #down: KernelMap[] = [];
  readonly #maps = new Map<number, KernelMap>();

  constructor(base: CoordSet) {
    if (base.stride !== 1) throw new RangeError('CoordinateManager: the base coordinates must have stride 1');
    this.#levels.push(base);
  }

  /** The base (stride-1) coordinates. */
  get base(): CoordSet {
    return this.#levels[0];
  }

  /** Coordinates at tensor stride `stride` (a power of two). */
  coordsAt(stride: number): CoordSet {
    const l = log2(stride);
    while (this.#levels.length <= l) {
      const { coarse, map } = downsampleMap(this.#levels[this.#levels.length - 1]);
      this.#down.push(map);
      this.#levels.push(coarse);
    }
    return this.#levels[l];
  }

  /** k=2, s=2 map from stride `stride` to `2·stride`. */
  downMap(stride: number): KernelMap {
    const l = log2(stride);
    this.coordsAt(stride * 2);
    return this.#down[l];
  }

  /** Transposed k=2, s=2 map from stride `2·stride` back onto the cached coordinates at `stride`. */
  upMap(stride: number): KernelMap {
    const key = -1 - log2(stride);
    let m = this.#maps.get(key);
    if (!m) {
      m = transposeMap(this.downMap(stride));
      this.#maps.set(key, m);
    }
    return m;
  }

  /** Submanifold map (output = input coordinates) at `stride` for an odd kernel and dilation. */
  subMap(stride: number, kernel = 3, dilation = 1): KernelMap {
    const key = ((log2(stride) * 64 + kernel) * 64 + dilation) * 2;
    let m = this.#maps.get(key);
    if (!m) {
      m = submanifoldMap(this.coordsAt(stride), kernel, dilation);
      this.#maps.set(key, m);
    }
    return m;
  }

  /** Number of cached kernel maps (for tests and stats). */
  get cachedMaps(): number {
    return this.#maps.size + this.#down.length;
  }
}
