/**
 * The data a `bench real-transfer` run stages in its --out: ScanNet-layout roots holding only the
 * chosen scenes (links, not copies) and the real pairs of the pre-training inits (virtual views of
 * the scans, frame pairs of each RGB-D root), and the claim files by which processes sharing an
 * --out split the cells.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { SCANNET_TSV } from '../data/datasets/scannet.js';
import { generatePairs } from '../data/pairs/generate.js';
import type { PretrainSource } from './real-transfer-plan.js';
import type { RealTransferOptions } from './real-transfer.js';

function link(target: string, path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(resolve(target), path);
}

/** A ScanNet-layout root holding only `scenes` (links to their folders and to the label TSV). */
export function stageRoot(root: string, scenes: { name: string; dir: string }[], dir: string): string {
  for (const s of scenes) link(s.dir, join(dir, 'scans', s.name));
  const tsv = [join(root, SCANNET_TSV), join(dirname(resolve(root)), SCANNET_TSV)].find((p) => existsSync(p));
  if (tsv) link(tsv, join(dir, SCANNET_TSV));
  return dir;
}

/** The real pair folders of `sources` (virtual views of the scans, frame pairs of each RGB-D root). */
export async function realPairs(
  o: Pick<RealTransferOptions, 'out' | 'viewsPerScan' | 'pairVoxel' | 'frameSkip'>,
  sources: PretrainSource[],
  say: (m: string) => void,
): Promise<string[]> {
  const dirs: string[] = [];
  const scans = sources.filter((s) => s.kind === 'scans').flatMap((s) => s.paths);
  if (scans.length > 0) {
    const staged = join(o.out, 'pretrain-data', 'scans');
    const used = new Set<string>();
    for (const p of scans) {
      let key = basename(p, extname(p)).replace(/_vh_clean_2$/, '');
      while (used.has(key)) key = `${key}_`;
      used.add(key);
      link(p, join(staged, `${key}${extname(p)}`));
    }
    const out = join(o.out, 'pairs', 'real-scans');
    say(`real pairs: ${o.viewsPerScan} virtual views of each of ${scans.length} scans → ${out}`);
    await generatePairs({
      from: 'scans',
      root: staged,
      out,
      viewsPerScene: o.viewsPerScan,
      voxel: o.pairVoxel,
    });
    dirs.push(out);
  }
  for (const [i, s] of sources.filter((x) => x.kind === 'rgbd').entries()) {
    const out = join(o.out, 'pairs', `rgbd-${i}-${basename(resolve(s.paths[0]))}`);
    say(`real pairs: RGB-D frames of ${s.paths[0]} (every ${o.frameSkip}th) → ${out}`);
    await generatePairs({ from: 'rgbd', root: s.paths[0], out, frameSkip: o.frameSkip, voxel: o.pairVoxel });
    dirs.push(out);
  }
  return dirs;
}

/** Whether another live process holds the claim file `f` (it names that process's pid). */
export function claimedByOther(f: string): boolean {
  if (!existsSync(f)) return false;
  const pid = Number(readFileSync(f, 'utf8'));
  if (!Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
