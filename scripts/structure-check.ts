/**
 * The label-free structure check (src/eval/structure-check.ts) of `pointcontrast predict` outputs
 * on an unlabelled axis-aligned room: floor IoU against the scan's own floor plane, wall-like
 * classes on its wall planes, and wall predicted on the furniture inside. docs/benchmarks.md
 * "A room with no labels, checked by its geometry" prints it for scene0706_00.
 * Usage: npx tsx scripts/structure-check.ts [--json] PREDICTIONS_FOLDER...
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parsePredictionsIndex, PREDICTIONS_INDEX } from '../src/core/viewer-contract.js';
import { parsePly } from '../src/data/formats/ply-parse.js';
import { structureOracle, structureScores } from '../src/eval/structure-check.js';
import type { StructureScores } from '../src/eval/structure-check.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const folders = args.filter((a) => a !== '--json');
if (folders.length === 0) throw new Error('usage: structure-check.ts [--json] PREDICTIONS_FOLDER...');

const countSets = (o: ReturnType<typeof structureOracle>) =>
  Object.fromEntries(
    (['floor', 'aboveFloor', 'onWalls', 'inside'] as const).map((k) => [k, o[k].reduce((a, b) => a + b, 0)]),
  );
const rows: { folder: string; scene: string; scores: StructureScores }[] = [];
const oracles = new Map<string, ReturnType<typeof structureOracle>>();
for (const folder of folders) {
  const indexFile = join(folder, PREDICTIONS_INDEX);
  const index = parsePredictionsIndex(JSON.parse(readFileSync(indexFile, 'utf8')), indexFile);
  const names = index.classes.map((c) => c.name);
  for (const scene of index.scenes) {
    const file = join(folder, scene.file);
    const vertex = parsePly(readFileSync(file), { file }).elements.find((e) => e.name === 'vertex');
    const cols = vertex?.columns;
    if (!cols?.x || !cols.y || !cols.z || !cols.pred)
      throw new Error(`${file}: expected vertex x, y, z and pred`);
    const n = cols.x.length;
    const positions = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      positions[3 * i] = cols.x[i];
      positions[3 * i + 1] = cols.y[i];
      positions[3 * i + 2] = cols.z[i];
    }
    // one oracle per scene (the same input points in every folder)
    const key = `${scene.name}:${n}`;
    let oracle = oracles.get(key);
    if (!oracle) oracles.set(key, (oracle = structureOracle(positions)));
    rows.push({ folder, scene: scene.name, scores: structureScores(oracle, cols.pred, names) });
  }
}
/** A folder's run name without its seed (`…-s2`, `…-s2-ho-…`), so the seeds of a cell group together. */
const group = (folder: string) => basename(folder.replace(/\/+$/, '')).replace(/-s\d+(?=$|-)/, '');
const KEYS = [
  'floorIoU',
  'floorRecall',
  'falseFloor',
  'wallsAsWallLike',
  'insideAsWall',
  'insideAsWallLike',
] as const;
const groups = new Map<string, StructureScores[]>();
for (const r of rows)
  groups.set(`${group(r.folder)} / ${r.scene}`, [
    ...(groups.get(`${group(r.folder)} / ${r.scene}`) ?? []),
    r.scores,
  ]);
const summary = [...groups].map(([name, list]) => ({
  name,
  runs: list.length,
  stats: Object.fromEntries(
    KEYS.map((k) => {
      const v = list.map((s) => s[k]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
      return [k, { mean, std }];
    }),
  ) as Record<(typeof KEYS)[number], { mean: number; std: number }>,
}));
if (json) {
  console.log(JSON.stringify({ rows, summary }, null, 2));
} else {
  const f = (v: number) => v.toFixed(1).padStart(6);
  console.log(`${KEYS.join(' ')}  folder / scene`);
  for (const { folder, scene, scores: s } of rows)
    console.log(`${KEYS.map((k) => f(s[k])).join(' ')}  ${folder} / ${scene}`);
  console.log('\nmean ± std over the seeds of each run name:');
  for (const g of summary)
    console.log(
      `${KEYS.map((k) => `${g.stats[k].mean.toFixed(1)} ± ${g.stats[k].std.toFixed(1)}`.padStart(12)).join(' ')}  ${g.name} (${g.runs})`,
    );
  console.log(
    'oracle sets:',
    [...oracles].map(([k, o]) => `${k} ${JSON.stringify(countSets(o))}`).join('; '),
  );
}
