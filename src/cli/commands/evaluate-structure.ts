/**
 * `pointcontrast evaluate structure PREDICTIONS... [--json]`: the label-free structure check
 * (eval/structure-check.ts) of `predict` outputs on unlabelled axis-aligned rooms: floor IoU
 * against each scan's own floor plane, wall-like classes on its wall planes, wall predicted on
 * the furniture inside. Folders whose names differ only by a seed (`…-s2`, `…-s2-ho-…`) are
 * also summarised as mean ± std.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { parsePredictionsIndex, PREDICTIONS_INDEX } from '../../core/viewer-contract.js';
import { readPredictionPly } from '../../tasks/segment/prediction-cloud.js';
import {
  oracleCounts,
  structureOracle,
  predictedShares,
  structureScores,
  type StructureOracle,
  type StructureScores,
} from '../../eval/structure-check.js';
import { printedJson } from '../output.js';
import { meanStd } from '../../bench/transfer-summary.js';

/** The scores a row prints, in order. */
const KEYS = [
  'floorIoU',
  'floorRecall',
  'falseFloor',
  'wallsAsWallLike',
  'insideAsWall',
  'insideAsWallLike',
] as const;
type Key = (typeof KEYS)[number];

/** A predictions folder's name without its seed, so that the seeds of one run group together. */
export function seedGroup(folder: string): string {
  return basename(folder.replace(/[\\/]+$/, '')).replace(/-s\d+(?=$|-)/, '');
}

/** One scene of one predictions folder, scored. */
interface Row {
  folder: string;
  scene: string;
  scores: StructureScores;
  /** The share (%) of the scan's points predicted as each class, largest first. */
  classShares: Record<string, number>;
}

/** Scores every scene of every folder; one oracle per scan (the same points in every folder). */
function scoreFolders(folders: readonly string[]): { rows: Row[]; oracles: Map<string, StructureOracle> } {
  const rows: Row[] = [];
  const oracles = new Map<string, StructureOracle>();
  for (const folder of folders) {
    const indexFile = join(folder, PREDICTIONS_INDEX);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(indexFile, 'utf8'));
    } catch (e) {
      throw new Error(
        `${indexFile}: ${(e as Error).message} (expected a predictions folder written by predict)`,
      );
    }
    const index = parsePredictionsIndex(json, indexFile);
    const names = index.classes.map((c) => c.name);
    for (const scene of index.scenes) {
      const file = join(folder, scene.file);
      const p = readPredictionPly(readFileSync(file), file);
      const key = `${scene.name}:${p.pred.length}`;
      let oracle = oracles.get(key);
      if (!oracle) {
        try {
          oracle = structureOracle(p.positions);
        } catch (e) {
          throw new Error(`${file}: ${(e as Error).message}`);
        }
        oracles.set(key, oracle);
      }
      rows.push({
        folder,
        scene: scene.name,
        scores: structureScores(oracle, p.pred, names),
        classShares: predictedShares(p.pred, names),
      });
    }
  }
  return { rows, oracles };
}

/** Mean ± sample std of each score over the rows of one seed group and scene. */
function summarise(rows: readonly Row[]) {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${seedGroup(r.folder)}\u0000${r.scene}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((list) => ({
    group: seedGroup(list[0].folder),
    scene: list[0].scene,
    runs: list.length,
    scores: Object.fromEntries(KEYS.map((k) => [k, meanStd(list.map((r) => r.scores[k]))])) as Record<
      Key,
      { mean: number; std: number }
    >,
  }));
}

export function register(evaluate: Command): void {
  evaluate
    .command('structure')
    .description(
      'label-free check of predictions on unlabelled axis-aligned rooms (z up, walls along x and y): floor IoU against the scan’s floor plane, wall-like classes on its wall planes, wall on the furniture inside',
    )
    .argument('<predictions...>', 'predictions folders (predict --out), e.g. one per seed')
    .option('--json', 'print one JSON object')
    .action((folders: string[], opts: { json?: boolean }) => {
      const { rows, oracles } = scoreFolders(folders);
      const summary = summarise(rows);
      const sets = [...oracles].map(([key, o]) => ({
        scene: key.slice(0, key.lastIndexOf(':')),
        floorPlane: o.floorPlane,
        wallPlanes: o.wallPlanes,
        counts: oracleCounts(o),
      }));
      if (printedJson(opts.json, { rows, summary, oracle: sets })) return;
      const f = (v: number) => v.toFixed(1).padStart(8);
      const out: string[] = [`${KEYS.map((k) => k.padStart(8)).join(' ')}  folder / scene`];
      for (const r of rows)
        out.push(`${KEYS.map((k) => f(r.scores[k])).join(' ')}  ${r.folder} / ${r.scene}`);
      if (summary.some((g) => g.runs > 1)) {
        out.push('', 'mean ± std over the seeds of each run:');
        for (const g of summary)
          out.push(
            `${KEYS.map((k) => `${g.scores[k].mean.toFixed(1)} ± ${g.scores[k].std.toFixed(1)}`.padStart(13)).join(' ')}  ${g.group} / ${g.scene} (${g.runs})`,
          );
      }
      out.push('', 'predicted classes, share of the points (the largest six):');
      for (const r of rows)
        out.push(
          `${Object.entries(r.classShares)
            .slice(0, 6)
            .map(([c, v]) => `${c} ${v.toFixed(1)} %`)
            .join(', ')}  ${r.folder} / ${r.scene}`,
        );
      for (const s of sets)
        out.push(
          `${s.scene}: floor ${s.counts.floor}, above the floor ${s.counts.aboveFloor}, on the walls ${s.counts.onWalls}, inside ${s.counts.inside} points`,
        );
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
