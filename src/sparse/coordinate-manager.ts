/**
 * The coordinate manager of one batch: the coordinate set at each tensor stride (built by
 * successive stride-2 down-sampling) and a cache of kernel maps per (stride, kernel, dilation),
 * shared by every layer that runs on the same coordinates, as in MinkowskiEngine.
 */
import { CoordSet } from './coord-set.js';
import { downsampleMap, submanifoldMap, transposeMap, type KernelMap } from './kernel-map.js';
import { phase } from './phases.js';
import { FAST_PATHS, type SparsePaths } from './code-paths.js';

function log2(stride: number): number {
  const l = Math.log2(stride);
  if (!Number.isInteger(l) || l < 0)
    throw new RangeError(`tensor stride must be a power of two, got ${stride}`);
  return l;
}

/** Which maps a network needs: its depth and the submanifold kernels it runs at each stride. */
export interface MapPlan {
  /** Deepest tensor stride (16 for Res16UNet). */
  maxStride: number;
  /** Submanifold kernels: [stride, kernel, dilation]. */
  kernels: [number, number, number][];
}

/** Plain typed-array form of a manager's levels and maps (transferable between threads). */
export interface ManagerData {
  levels: { coords: Int32Array; stride: number; batchSize: number }[];
  down: KernelMap[];
  maps: [number, KernelMap][];
}

export class CoordinateManager {
  readonly #levels: CoordSet[] = [];
  readonly #down: KernelMap[] = [];
  readonly #maps = new Map<number, KernelMap>();

  /**
   * @param paths the neighbour search of its submanifold maps and the conv-kernel blocking of
   *   the ops on its tensors (default: the fast paths)
   */
  constructor(
    base: CoordSet,
    readonly paths: SparsePaths = FAST_PATHS,
  ) {
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
      const { coarse, map } = phase('kernel_maps', () =>
        downsampleMap(this.#levels[this.#levels.length - 1]),
      );
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
      const down = this.downMap(stride);
      m = phase('kernel_maps', () => transposeMap(down));
      this.#maps.set(key, m);
    }
    return m;
  }

  /** Submanifold map (output = input coordinates) at `stride` for an odd kernel and dilation. */
  subMap(stride: number, kernel = 3, dilation = 1): KernelMap {
    const key = ((log2(stride) * 64 + kernel) * 64 + dilation) * 2;
    let m = this.#maps.get(key);
    if (!m) {
      const set = this.coordsAt(stride);
      m = phase('kernel_maps', () => submanifoldMap(set, kernel, dilation, this.paths.search));
      this.#maps.set(key, m);
    }
    return m;
  }

  /** Builds every level and map of `plan` now (e.g. in a loader thread, before training needs them). */
  prebuild(plan: MapPlan): this {
    this.coordsAt(plan.maxStride);
    for (let s = 1; s < plan.maxStride; s *= 2) this.upMap(s);
    for (const [stride, kernel, dilation] of plan.kernels) this.subMap(stride, kernel, dilation);
    return this;
  }

  /** The manager's data (shares the typed arrays). */
  export(): ManagerData {
    return {
      levels: this.#levels.map((l) => ({ coords: l.coords, stride: l.stride, batchSize: l.batchSize })),
      down: [...this.#down],
      maps: [...this.#maps.entries()],
    };
  }

  /** Typed-array buffers of exported data, for a worker's transfer list. */
  static transferables(data: ManagerData): ArrayBuffer[] {
    const set = new Set<ArrayBuffer>();
    const add = (a: Int32Array) => set.add(a.buffer as ArrayBuffer);
    for (const l of data.levels) add(l.coords);
    for (const m of [...data.down, ...data.maps.map(([, m]) => m)]) {
      add(m.inIdx);
      add(m.outIdx);
      add(m.start);
    }
    return [...set];
  }

  /** Rebuilds a manager from exported data (no hashing or map building). */
  static import(data: ManagerData, paths: SparsePaths = FAST_PATHS): CoordinateManager {
    const [base, ...rest] = data.levels;
    const mgr = new CoordinateManager(new CoordSet(base.coords, base.stride, base.batchSize), paths);
    for (const l of rest) mgr.#levels.push(new CoordSet(l.coords, l.stride, l.batchSize));
    mgr.#down.push(...data.down);
    for (const [k, m] of data.maps) mgr.#maps.set(k, m);
    return mgr;
  }

  /** Number of cached kernel maps (for tests and stats). */
  get cachedMaps(): number {
    return this.#maps.size + this.#down.length;
  }
}
