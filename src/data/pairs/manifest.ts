/**
 * The `pairs.json` manifest of a pair folder: generation settings, one record per scene, one entry
 * per pair (file, scene, view ids, overlap, point and correspondence counts), totals. Validated with
 * zod on read so a damaged manifest fails naming the key.
 */
import { z } from 'zod';
import { parseOrThrow } from '../../core/zod-errors.js';

export const PAIRS_MANIFEST_FORMAT = 'pointcontrast-pairs';
export const PAIRS_MANIFEST_VERSION = 1;

/** Settings that determine the output; a folder is only extended with the same settings. */
export const pairGenSettingsSchema = z.object({
  from: z.enum(['synth', 'scans', 'rgbd']),
  seed: z.number().int(),
  voxel: z.number().positive(),
  radiusVoxels: z.number().positive(),
  minOverlap: z.number().min(0).max(1),
  overlapVoxel: z.number().positive(),
  storeVoxel: z.number().min(0),
  viewsPerScene: z.number().int().positive(),
  frameSkip: z.number().int().positive(),
  pointsPerM2: z.number().positive().optional(),
  camera: z.record(z.string(), z.unknown()),
});
export type PairGenSettings = z.infer<typeof pairGenSettingsSchema>;

export const pairEntrySchema = z.object({
  /** Path relative to the folder. */
  file: z.string(),
  scene: z.string(),
  views: z.tuple([z.string(), z.string()]),
  overlap: z.number(),
  points: z.tuple([z.number().int(), z.number().int()]),
  correspondences: z.number().int(),
  bytes: z.number().int(),
});
export type PairEntry = z.infer<typeof pairEntrySchema>;

export const sceneRecordSchema = z.object({
  /** Folder name under the output (unique per source scene). */
  key: z.string(),
  /** Scene name as the source calls it. */
  name: z.string(),
  source: z.string(),
  views: z.number().int(),
  /** View pairs whose overlap was computed (others were ruled out by their bounding boxes). */
  tested: z.number().int(),
  dropped: z.array(z.object({ id: z.string(), reason: z.string() })),
  pairs: z.array(pairEntrySchema),
  settings: pairGenSettingsSchema,
  /** Wall milliseconds spent on this scene: loading/generating it, virtual views, overlap tests, correspondences, encoding + writing. */
  ms: z
    .object({
      load: z.number(),
      views: z.number(),
      overlap: z.number(),
      correspondences: z.number(),
      write: z.number(),
    })
    .optional(),
});
export type SceneRecord = z.infer<typeof sceneRecordSchema>;

export const pairsManifestSchema = z.object({
  format: z.literal(PAIRS_MANIFEST_FORMAT),
  version: z.literal(PAIRS_MANIFEST_VERSION),
  settings: pairGenSettingsSchema,
  scenes: z.array(
    sceneRecordSchema.omit({ pairs: true, settings: true }).extend({ pairs: z.number().int() }),
  ),
  pairs: z.array(pairEntrySchema),
  totals: z.object({
    scenes: z.number().int(),
    pairs: z.number().int(),
    points: z.number().int(),
    correspondences: z.number().int(),
    bytes: z.number().int(),
  }),
});
export type PairsManifest = z.infer<typeof pairsManifestSchema>;

/** Builds the manifest from scene records (in order). */
export function buildPairsManifest(
  settings: PairGenSettings,
  records: readonly SceneRecord[],
): PairsManifest {
  const pairs = records.flatMap((r) => r.pairs);
  return {
    format: PAIRS_MANIFEST_FORMAT,
    version: PAIRS_MANIFEST_VERSION,
    settings,
    scenes: records.map(({ pairs: p, settings: _s, ...rest }) => ({ ...rest, pairs: p.length })),
    pairs,
    totals: {
      scenes: records.length,
      pairs: pairs.length,
      points: pairs.reduce((s, p) => s + p.points[0] + p.points[1], 0),
      correspondences: pairs.reduce((s, p) => s + p.correspondences, 0),
      bytes: pairs.reduce((s, p) => s + p.bytes, 0),
    },
  };
}

/** Parses manifest JSON text; errors name the file and the first bad key. */
export function parsePairsManifest(text: string, file: string): PairsManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return parseOrThrow(pairsManifestSchema, raw, '', file);
}

/** The keys whose values differ between two settings objects (for "generated with other settings" errors). */
export function settingsDiff(a: PairGenSettings, b: PairGenSettings): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter(
    (k) => JSON.stringify(a[k as keyof PairGenSettings]) !== JSON.stringify(b[k as keyof PairGenSettings]),
  );
}
