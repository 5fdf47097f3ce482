/**
 * ScanNet v2 raw scans → prepared scenes: positions/colour from _vh_clean_2.ply, semantic from
 * .labels.ply (nyu40 → label map), instances from segs + aggregation, boxes, normals from faces,
 * axisAlignment from sceneXXXX_YY.txt. Layout and rules: docs/datasets.md.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PointCloud } from '../../geometry/point-cloud.js';
import { parsePly, plyElement } from '../formats/ply-parse.js';
import { plyToPointCloud } from '../formats/ply-cloud.js';
import { boxClassMask, mapRawLabels, rawToTrainLut, type LabelMap } from '../label-map.js';
import type { PreparedScene } from '../prepared/codec.js';
import { instanceBoxes } from './instance-boxes.js';
import { loadLabelMap } from './label-maps.js';
import { vertexNormals } from './mesh-normals.js';
import {
  applyTransform,
  instanceLabelMismatches,
  instanceNyu40,
  instancesFromSegments,
  parseAggregation,
  parseAxisAlignment,
  parseScanNetTsv,
  parseSegs,
} from './scannet-meta.js';
import { assignSplits } from './splits.js';
import type { DatasetDriver, SceneTask, SourceOptions } from './types.js';

/** The label TSV's file name. */
export const SCANNET_TSV = 'scannetv2-labels.combined.tsv';

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Paths of one scan's files (present or not). */
export function scanFiles(dir: string, name: string) {
  return {
    mesh: join(dir, `${name}_vh_clean_2.ply`),
    labels: join(dir, `${name}_vh_clean_2.labels.ply`),
    segs: join(dir, `${name}_vh_clean_2.0.010000.segs.json`),
    aggregation: join(dir, `${name}.aggregation.json`),
    meta: join(dir, `${name}.txt`),
  };
}

/** Scan folders of a ScanNet root: <root>/scans/* (train/val) and <root>/scans_test/* (test), or <root>/* itself. */
export function listScanNetScenes(root: string): { name: string; dir: string; test: boolean }[] {
  if (!isDir(root)) throw new Error(`scannet: root '${root}' is not a folder`);
  const groups: { dir: string; test: boolean }[] = [];
  if (isDir(join(root, 'scans'))) groups.push({ dir: join(root, 'scans'), test: false });
  if (isDir(join(root, 'scans_test'))) groups.push({ dir: join(root, 'scans_test'), test: true });
  if (groups.length === 0) groups.push({ dir: root, test: false });
  const scenes = groups.flatMap((g) =>
    readdirSync(g.dir)
      .filter((n) => /^scene\d{4}_\d{2}$/.test(n) && isDir(join(g.dir, n)))
      .sort()
      .map((name) => ({ name, dir: join(g.dir, name), test: g.test })),
  );
  if (scenes.length === 0)
    throw new Error(`scannet: no sceneXXXX_YY folders under '${root}' (expected <root>/scans/sceneXXXX_YY/)`);
  for (const s of scenes) {
    const mesh = scanFiles(s.dir, s.name).mesh;
    if (!existsSync(mesh))
      throw new Error(`scannet: ${mesh} is missing (every scan needs its _vh_clean_2.ply)`);
  }
  return scenes;
}

function findTsv(root: string, given?: string): string | undefined {
  if (given) {
    if (!existsSync(given)) throw new Error(`scannet: --tsv '${given}' does not exist`);
    return given;
  }
  return [join(root, SCANNET_TSV), join(dirname(root), SCANNET_TSV)].find((p) => existsSync(p));
}

function plan(opts: SourceOptions) {
  if (!opts.root)
    throw new Error(
      'scannet: --root is required (the folder holding scans/ and scannetv2-labels.combined.tsv)',
    );
  const labelMap = loadLabelMap(opts.classes ?? 'scannet20');
  const scenes = listScanNetScenes(opts.root);
  const tsv = findTsv(opts.root, opts.tsv);
  if (!tsv && scenes.some((s) => existsSync(scanFiles(s.dir, s.name).aggregation))) {
    throw new Error(`scannet: ${SCANNET_TSV} not found in '${opts.root}' or its parent; pass --tsv <path>`);
  }
  const test = new Set(scenes.filter((s) => s.test).map((s) => s.name));
  const { splits, warnings } = assignSplits(
    scenes.map((s) => s.name),
    opts,
    (n) => (test.has(n) ? 'test' : 'train'),
  );
  const tasks: SceneTask[] = scenes.map((s) => ({
    name: s.name,
    split: splits.get(s.name)!,
    src: { dir: s.dir, tsv },
  }));
  return {
    labelMap,
    tasks,
    options: { labelMap: labelMap.name, tsv: tsv ?? null },
    splitOptions: { splitFiles: opts.splitFiles ?? [], val: opts.val ?? [] },
    warnings,
  };
}

function readPly(path: string, withFaces = true): { cloud: PointCloud; triangles?: Uint32Array } {
  const b = readFileSync(path);
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const ply = parsePly(bytes, { file: path, elements: withFaces ? 'all' : 'vertex' });
  const cloud = plyToPointCloud(ply);
  const list = plyElement(ply, 'face')?.lists?.vertex_indices;
  if (!list || list.offsets.length <= 1) return { cloud };
  // Polygons → triangle fans.
  let tris = 0;
  for (let f = 0; f + 1 < list.offsets.length; f++)
    tris += Math.max(0, list.offsets[f + 1] - list.offsets[f] - 2);
  const triangles = new Uint32Array(tris * 3);
  let t = 0;
  for (let f = 0; f + 1 < list.offsets.length; f++) {
    const a = list.offsets[f];
    for (let k = a + 1; k + 1 < list.offsets[f + 1]; k++) {
      triangles[t++] = list.values[a];
      triangles[t++] = list.values[k];
      triangles[t++] = list.values[k + 1];
    }
  }
  return { cloud, triangles };
}

/** Loads one ScanNet scan folder into a prepared scene (labels in `labelMap` train ids). */
export function loadScanNetScene(
  name: string,
  dir: string,
  labelMap: LabelMap,
  tsvPath?: string,
): PreparedScene {
  const f = scanFiles(dir, name);
  const { cloud: mesh, triangles } = readPly(f.mesh);
  const n = mesh.positions.length / 3;
  const positions = mesh.positions;
  const cloud: PointCloud = { positions };
  if (mesh.colors) cloud.colors = mesh.colors;
  const notes: Record<string, unknown> = { source: dir, faces: triangles ? triangles.length / 3 : 0 };
  if (triangles) cloud.normals = vertexNormals(positions, triangles, f.mesh);
  const lut = rawToTrainLut(labelMap);

  let vertexNyu40: Int32Array | undefined;
  if (existsSync(f.labels)) {
    const lab = readPly(f.labels, false).cloud;
    if (lab.positions.length !== positions.length) {
      throw new Error(`${f.labels}: has ${lab.positions.length / 3} vertices, ${f.mesh} has ${n}`);
    }
    for (let i = 0; i < positions.length; i++) {
      if (lab.positions[i] !== positions[i]) {
        throw new Error(`${f.labels}: vertex ${Math.floor(i / 3)} differs from the same vertex of ${f.mesh}`);
      }
    }
    if (!lab.labels)
      throw new Error(`${f.labels}: no 'label' vertex property (expected the nyu40 id per vertex)`);
    vertexNyu40 = lab.labels;
  }

  let instNyu40: Int32Array | undefined;
  if (existsSync(f.segs) && existsSync(f.aggregation)) {
    if (!tsvPath) throw new Error(`scannet: ${f.aggregation} needs ${SCANNET_TSV}; pass --tsv <path>`);
    const segs = parseSegs(readFileSync(f.segs, 'utf8'), f.segs);
    if (segs.length !== n)
      throw new Error(`${f.segs}: key 'segIndices': ${segs.length} entries, the mesh has ${n} vertices`);
    const groups = parseAggregation(readFileSync(f.aggregation, 'utf8'), f.aggregation);
    const tsv = parseScanNetTsv(readFileSync(tsvPath, 'utf8'), tsvPath);
    cloud.instances = instancesFromSegments(segs, groups);
    instNyu40 = instanceNyu40(groups, tsv, f.aggregation);
    notes.segGroups = groups.length;
    if (vertexNyu40) {
      const mm = instanceLabelMismatches(cloud.instances, instNyu40, vertexNyu40);
      notes.instanceLabelMismatches = mm.count;
      if (mm.count > 0) notes.firstMismatchVertex = mm.first;
    }
  }

  if (vertexNyu40) cloud.labels = mapRawLabels(vertexNyu40, lut, labelMap.ignoreLabel);
  else if (cloud.instances && instNyu40) {
    // No .labels.ply: the aggregation gives the semantic label of every annotated vertex.
    const raw = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) if (cloud.instances[i] >= 0) raw[i] = instNyu40[cloud.instances[i]];
    cloud.labels = mapRawLabels(raw, lut, labelMap.ignoreLabel);
  }

  if (existsSync(f.meta)) {
    const m = parseAxisAlignment(readFileSync(f.meta, 'utf8'), f.meta);
    if (m) applyTransform(m, positions, cloud.normals);
    notes.axisAligned = m !== undefined;
  }
  const boxes =
    cloud.instances && instNyu40
      ? instanceBoxes(positions, cloud.instances, mapRawLabels(instNyu40, lut, -1), boxClassMask(labelMap))
      : [];
  return { name, cloud, boxes, labelSet: labelMap.name, meta: notes };
}

/** The `scannet` source of `data prepare`. */
export const scannetDriver: DatasetDriver = {
  plan,
  load: (task, _opts, labelMap) =>
    loadScanNetScene(
      task.name,
      task.src.dir as string,
      labelMap,
      (task.src.tsv as string | undefined) ?? undefined,
    ),
};
