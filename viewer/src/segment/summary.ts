/**
 * The text of the segmentation box once a file is done: total time split by stage, the backend
 * and what it ran on, and why better backends were skipped. Pure (tested in Node).
 */
import type { ModelInfo, SegmentTimings } from './protocol.js';

/** What one finished segmentation reports. */
export interface SegmentSummaryInput {
  file: string;
  points: number;
  voxels: number;
  info: Pick<ModelInfo, 'backend' | 'device' | 'skipped'>;
  timings: SegmentTimings;
  /** From the click to the result, ms. */
  totalMs: number;
  /** Model download + backend start when this file paid for it, else null. */
  loadMs: number | null;
  /** e.g. "Res16UNet14A-w4, 20 classes". */
  model: string;
}

const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const int = (n: number): string => n.toLocaleString('en-US');

/** The result line and the skipped-backends line (empty when none were skipped). */
export function segmentSummary(x: SegmentSummaryInput): { result: string; skipped: string } {
  const t = x.timings;
  const stages = [
    x.loadMs === null ? 'model already loaded' : `model load ${s(x.loadMs)}`,
    `parsing ${s(t.parse)}`,
    `network ${s(t.network)}`,
  ].join(', ');
  const device = x.info.device ? `${x.info.backend}: ${x.info.device}; ` : '';
  return {
    result:
      `${x.file}: ${int(x.points)} points, ${int(x.voxels)} voxels segmented on ${x.info.backend} ` +
      `in ${s(x.totalMs)} total (${stages}) (${device}${x.model})`,
    skipped: x.info.skipped.length ? `skipped: ${x.info.skipped.join('; ')}` : '',
  };
}
