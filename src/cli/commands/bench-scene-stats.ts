/**
 * `pointcontrast bench scene-stats`: real-vs-synthetic statistics of point clouds (density,
 * spacing, roughness, normals, holes, clutter, colour, classes, ceiling), one row per cloud plus
 * the mean of each input with several clouds; estimators in docs/synthetic-scenes.md.
 */
import type { Command } from 'commander';
import { measureInputs } from '../../bench/scene-stats.js';
import type { SceneStats } from '../../data/scene-stats.js';
import { machineLoad } from '../bench-machine.js';
import { positiveNumber } from '../options.js';
import { printedJson } from '../output.js';

type Row = SceneStats & { name: string; source: string };

/** Mean of every numeric field over rows (null when any row has null), classes averaged by name. */
export function meanRow(rows: readonly Row[], name: string): Row {
  const avg = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const avgOrNull = (f: (r: Row) => number | null) =>
    rows.every((r) => f(r) !== null) ? avg((r) => f(r) as number) : null;
  const v3 = (f: (r: Row) => [number, number, number]) =>
    [0, 1, 2].map((d) => avg((r) => f(r)[d])) as [number, number, number];
  const classNames = new Set(rows.flatMap((r) => Object.keys(r.classes ?? {})));
  const color = rows.every((r) => r.color)
    ? {
        mean: v3((r) => r.color!.mean),
        std: v3((r) => r.color!.std),
        saturation: avg((r) => r.color!.saturation),
      }
    : null;
  return {
    name,
    source: rows[0].source,
    points: avg((r) => r.points),
    bounds: { min: v3((r) => r.bounds.min), max: v3((r) => r.bounds.max) },
    size: v3((r) => r.size),
    floorArea: avg((r) => r.floorArea),
    pointsPerCell: avg((r) => r.pointsPerCell),
    pointsPerM2: avg((r) => r.pointsPerM2),
    spacing: {
      p10: avg((r) => r.spacing.p10),
      p50: avg((r) => r.spacing.p50),
      p90: avg((r) => r.spacing.p90),
    },
    roughnessP25: avg((r) => r.roughnessP25),
    normals: {
      horizontal: avg((r) => r.normals.horizontal),
      vertical: avg((r) => r.normals.vertical),
      oblique: avg((r) => r.normals.oblique),
    },
    holes: { floor: avg((r) => r.holes.floor), walls: avg((r) => r.holes.walls) },
    objects: avgOrNull((r) => r.objects),
    objectsPerM2: avgOrNull((r) => r.objectsPerM2),
    color,
    classes: rows.every((r) => r.classes)
      ? Object.fromEntries([...classNames].map((c) => [c, avg((r) => r.classes![c] ?? 0)]))
      : null,
    ceilingShare: avgOrNull((r) => r.ceilingShare),
    ceilingShareGeom: avg((r) => r.ceilingShareGeom),
  };
}

const pct = (v: number | null) => (v === null ? '–' : (100 * v).toFixed(1));
const cm = (v: number) => (100 * v).toFixed(2);

/** One text line per row (the columns of the docs table). */
export function formatRow(r: Row): string {
  const top = Object.entries(r.classes ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c, v]) => `${c} ${pct(v)}`)
    .join(', ');
  const col = r.color
    ? `rgb ${r.color.mean.map((v) => v.toFixed(0)).join('/')} ± ${r.color.std.map((v) => v.toFixed(0)).join('/')} sat ${r.color.saturation.toFixed(2)}`
    : 'no colour';
  return [
    r.name,
    `${Math.round(r.points)} pts`,
    `${r.size.map((v) => v.toFixed(1)).join('×')} m`,
    `${Math.round(r.pointsPerM2)} /m²`,
    `NN ${cm(r.spacing.p10)}/${cm(r.spacing.p50)}/${cm(r.spacing.p90)} cm`,
    `rough ${(1000 * r.roughnessP25).toFixed(1)} mm`,
    `H/V/O ${pct(r.normals.horizontal)}/${pct(r.normals.vertical)}/${pct(r.normals.oblique)} %`,
    `holes floor ${pct(r.holes.floor)} wall ${pct(r.holes.walls)} %`,
    `obj/m² ${r.objectsPerM2 === null ? '–' : r.objectsPerM2.toFixed(2)}`,
    col,
    `ceiling ${pct(r.ceilingShare)} (geom ${pct(r.ceilingShareGeom)}) %`,
    top,
  ].join(' | ');
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(bench: Command): void {
  bench
    .command('scene-stats')
    .description(
      'real-vs-synthetic scene statistics: density, NN spacing, roughness, normals, holes, clutter, colour, classes, ceiling share',
    )
    .requiredOption(
      '--input <src>',
      'a .ply/.pcd file (a ScanNet _vh_clean_2.ply brings its labels along), a ScanNet scan folder, a prepared dataset folder, or synth:SEED[,SEED…|A-B] (repeatable)',
      collect,
      [],
    )
    .option(
      '--scanner',
      'synth inputs: keep only what a virtual walk-around capture sees (generateScene scanner)',
    )
    .option(
      '--min-spacing <m>',
      'synth inputs: thin to this minimum point spacing (generateScene minSpacing)',
    )
    .option('--json', 'print one JSON object')
    .action((opts: { input: string[]; scanner?: boolean; minSpacing?: string; json?: boolean }) => {
      const synth = {
        ...(opts.scanner ? { scanner: true } : {}),
        ...(opts.minSpacing !== undefined
          ? { minSpacing: positiveNumber(opts.minSpacing, '--min-spacing') }
          : {}),
      };
      const rows: Row[] = [];
      const means: Row[] = [];
      for (const input of opts.input) {
        const got = measureInputs([input], synth, (name) => {
          if (!opts.json) process.stderr.write(`measured ${name}\n`);
        });
        rows.push(...got);
        if (got.length > 1) means.push(meanRow(got, `mean of ${input} (${got.length})`));
      }
      if (printedJson(opts.json, { bench: 'scene-stats', synth, clouds: rows, means, ...machineLoad() }))
        return;
      for (const r of [...rows, ...means]) process.stdout.write(`${formatRow(r)}\n`);
    });
}
