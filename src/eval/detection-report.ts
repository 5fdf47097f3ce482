/**
 * Presentation of detection metrics: the percent-scaled report (`evaluate det --json`, benchmark
 * tables) and a plain-text per-class table. Platform-free.
 */
import type { ClassMetrics, DetectionMetrics } from './detection-ap.js';

const pct = (v: number | null) => (v === null ? null : +(100 * v).toFixed(2));

/** The metrics with every AP and recall in percent (two decimals); nulls stay null. */
export function percentMetrics(m: DetectionMetrics) {
  const per_class: Record<string, ClassMetrics> = {};
  for (const [name, c] of Object.entries(m.per_class)) {
    per_class[name] = {
      ...c,
      ap25: pct(c.ap25),
      ap50: pct(c.ap50),
      recall25: pct(c.recall25),
      recall50: pct(c.recall50),
    };
  }
  return {
    mAP25: pct(m.mAP25),
    mAP50: pct(m.mAP50),
    mAR25: pct(m.mAR25),
    mAR50: pct(m.mAR50),
    per_class,
    classesEvaluated: m.classesEvaluated,
    scenes: m.scenes,
  };
}

/** A text table: one row per class with ground truth (AP@0.25, AP@0.5, recall, counts), then the means. */
export function formatDetTable(m: DetectionMetrics, title: string): string {
  const f = (v: number | null) => (v === null ? '    -' : (100 * v).toFixed(1).padStart(5));
  const rows = Object.entries(m.per_class).filter(([, c]) => c.gt > 0);
  const w = Math.max(5, ...rows.map(([n]) => n.length));
  const lines = [
    title,
    `${'class'.padEnd(w)}  AP@.25  AP@.50  R@.25    gt  pred`,
    ...rows.map(
      ([n, c]) =>
        `${n.padEnd(w)}  ${f(c.ap25)}   ${f(c.ap50)}   ${f(c.recall25)}  ${String(c.gt).padStart(4)}  ${String(c.predictions).padStart(4)}`,
    ),
    `${'mean'.padEnd(w)}  ${f(m.mAP25)}   ${f(m.mAP50)}   ${f(m.mAR25)}`,
    `mAP@0.25 ${f(m.mAP25).trim()}  mAP@0.5 ${f(m.mAP50).trim()}  (${m.classesEvaluated} classes with ground truth)`,
  ];
  return lines.join('\n');
}
