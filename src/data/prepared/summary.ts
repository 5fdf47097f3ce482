/**
 * Human-readable summary of a preparation run: scenes, points per split, the label histogram
 * with class names, boxes/instances, and anything the user should look at (warnings, notes).
 */
import type { PrepareResult } from './prepare.js';

const num = (n: number) => n.toLocaleString('en-US');

/** Multi-line text summary of a `prepareDataset` result. */
export function formatPrepareSummary(r: PrepareResult, seconds?: number): string {
  const m = r.manifest;
  const lines: string[] = [];
  const took = seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`;
  lines.push(
    `${m.scenes.length} scenes → ${r.out}${took} (${r.prepared} written, ${r.skipped} already done, ${r.redone.length} redone)`,
  );
  const splits = Object.entries(m.points.bySplit)
    .map(
      ([s, p]) => `${s} ${m.splits[s].length} scene${m.splits[s].length === 1 ? '' : 's'} / ${num(p)} points`,
    )
    .join(' · ');
  lines.push(`points: ${num(m.points.total)} (${splits})`);
  const total = Math.max(1, m.points.total);
  const width = Math.max(8, ...m.classes.map((c) => c.name.length));
  lines.push(`labels (${m.labelMap.name}):`);
  m.classes.forEach((c, i) => {
    const v = m.histogram[i];
    lines.push(
      `  ${String(c.id).padStart(3)} ${c.name.padEnd(width)} ${num(v).padStart(13)} ${((100 * v) / total).toFixed(1).padStart(5)}%`,
    );
  });
  lines.push(
    `      ${'ignored'.padEnd(width)} ${num(m.ignored).padStart(13)} ${((100 * m.ignored) / total).toFixed(1).padStart(5)}%`,
  );
  const boxes = m.scenes.reduce((s, e) => s + e.boxes, 0);
  const inst = m.scenes.reduce((s, e) => s + e.instances, 0);
  lines.push(`instances: ${num(inst)}   boxes: ${num(boxes)}`);
  if (r.removedTempFiles > 0)
    lines.push(`removed ${r.removedTempFiles} temp file(s) left by an interrupted run`);
  for (const x of r.redone) lines.push(`redone ${x.name}: ${x.reason}`);
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const s of m.scenes) {
    const n = s.notes ?? {};
    const bad = n.skippedBadLines as { file: string; lines: number }[] | undefined;
    if (bad)
      for (const b of bad)
        lines.push(`warning: ${s.name}: skipped ${b.lines} malformed line(s) of ${b.file}`);
    if (typeof n.instanceLabelMismatches === 'number' && n.instanceLabelMismatches > 0) {
      lines.push(
        `warning: ${s.name}: ${n.instanceLabelMismatches} vertices whose instance class differs from .labels.ply`,
      );
    }
  }
  return lines.join('\n');
}
