// Builds the submanifold 3×3×3 kernel map of a coordinate file N times, for instruction and
// cache-miss counts under valgrind (docs/benchmarks.md): the difference between N = 6 and N = 2
// is four builds without start-up or JIT compilation. Uses the built library (npm run build).
// Usage: node scripts/kernel-map-count.mjs <coords.i32> <auto|hash> <N>
import { readFileSync } from 'node:fs';
import { CoordSet } from '../dist/sparse/coord-set.js';
import { submanifoldMap } from '../dist/sparse/kernel-map.js';
import { checkCoordRange } from '../dist/geometry/coord-hash.js';

const [file, search, reps] = process.argv.slice(2);
if (!file || !['auto', 'hash'].includes(search) || !(Number(reps) > 0)) {
  console.error('usage: node scripts/kernel-map-count.mjs <coords.i32> <auto|hash> <N>');
  process.exit(2);
}
const buf = readFileSync(file);
const c3 = new Int32Array(buf.buffer, buf.byteOffset, buf.length / 4);
const n = c3.length / 3;
const c4 = new Int32Array(n * 4);
for (let i = 0; i < n; i++) c4.set(c3.subarray(i * 3, i * 3 + 3), i * 4 + 1);
let pairs = 0;
for (let r = 0; r < Number(reps); r++) {
  let set;
  if (search === 'hash') {
    // the hash-based builder (before the sorted-merge kernel maps): range check, hash (uniqueness), hash lookups
    checkCoordRange(c4, 4);
    set = new CoordSet(c4, 1, 1);
    void set.hash;
  } else {
    set = CoordSet.fromBatchCoords(c4, 1);
  }
  pairs = submanifoldMap(set, 3, 1, search).inIdx.length;
}
console.log(`${search} ×${reps}: ${pairs} stored pairs`);
