/**
 * The view state that a link carries in the URL hash (scene, colour mode, camera, hidden classes,
 * point size, budget, EDL, background, split view, boxes, scalar range): encode and decode.
 * Decoding is lenient: a bad value falls back to its default and is reported.
 */
import { RAMP_NAMES, type RampName } from '../colors/color-ramp.js';
import { parseHexColor } from '../colors/colors.js';

/** Everything a link restores. */
export interface ViewState {
  scene: string | null;
  /** 'rgb' | 'gt' | 'pred' | 'error' | 'instance' | 'height' | 'f:<property>' (scalar field). */
  mode: string | null;
  camera: { position: [number, number, number]; target: [number, number, number] } | null;
  hidden: number[];
  /** Hidden error kinds (0 correct, 1 wrong, 2 ignored). */
  hiddenErrors: number[];
  pointSize: number;
  budget: number;
  edl: boolean;
  edlRadius: number;
  edlStrength: number;
  background: string;
  split: boolean;
  boxes: boolean;
  minScore: number;
  ramp: RampName | null;
  range: [number, number] | null;
  /** Label set for plain scans: a datasets/ name, `<name>:raw`, or null (palette). */
  labels: string | null;
}

/** Defaults (EDL after Potree: radius 1.4, strength 0.4). */
export const DEFAULT_STATE: Readonly<ViewState> = Object.freeze({
  scene: null,
  mode: null,
  camera: null,
  hidden: [],
  hiddenErrors: [],
  pointSize: 2,
  budget: 3_000_000,
  edl: true,
  edlRadius: 1.4,
  edlStrength: 0.4,
  background: '#1b1d22',
  split: false,
  boxes: true,
  minScore: 0,
  ramp: null,
  range: null,
  labels: null,
});

const r3 = (v: number): string => String(Math.round(v * 1000) / 1000);
const ints = (a: number[]): string => [...a].sort((x, y) => x - y).join(',');

/** Encodes the state as a hash (`#k=v&…`), leaving out values equal to the defaults. */
export function encodeState(s: ViewState): string {
  const p = new URLSearchParams();
  const d = DEFAULT_STATE;
  if (s.scene !== null) p.set('scene', s.scene);
  if (s.mode !== null) p.set('mode', s.mode);
  if (s.camera) p.set('cam', [...s.camera.position, ...s.camera.target].map(r3).join(','));
  if (s.hidden.length) p.set('hide', ints(s.hidden));
  if (s.hiddenErrors.length) p.set('herr', ints(s.hiddenErrors));
  if (s.pointSize !== d.pointSize) p.set('size', r3(s.pointSize));
  if (s.budget !== d.budget) p.set('budget', String(Math.round(s.budget)));
  if (s.edl !== d.edl) p.set('edl', s.edl ? '1' : '0');
  if (s.edlRadius !== d.edlRadius) p.set('edlr', r3(s.edlRadius));
  if (s.edlStrength !== d.edlStrength) p.set('edls', r3(s.edlStrength));
  if (s.background !== d.background) p.set('bg', s.background.replace(/^#/, ''));
  if (s.split !== d.split) p.set('split', s.split ? '1' : '0');
  if (s.boxes !== d.boxes) p.set('boxes', s.boxes ? '1' : '0');
  if (s.minScore !== d.minScore) p.set('score', r3(s.minScore));
  if (s.ramp !== null) p.set('ramp', s.ramp);
  if (s.range) p.set('range', s.range.map((v) => String(+v.toPrecision(6))).join(','));
  if (s.labels !== null) p.set('labels', s.labels);
  const q = p.toString();
  return q ? `#${q}` : '';
}

function numbers(v: string, n: number): number[] | null {
  const parts = v.split(',');
  if (parts.length !== n || parts.some((x) => x.trim() === '')) return null;
  const out = parts.map(Number);
  return out.every(Number.isFinite) ? out : null;
}

/** Decodes a hash (with or without `#`); unknown keys are ignored, bad values reported in `problems`. */
export function decodeState(hash: string): { state: ViewState; problems: string[] } {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s: ViewState = { ...DEFAULT_STATE, hidden: [], hiddenErrors: [] };
  const problems: string[] = [];
  const bad = (key: string, expected: string): void => {
    problems.push(`#${key}=${p.get(key)}: expected ${expected}`);
  };
  const num = (key: string, min: number, max: number, set: (v: number) => void): void => {
    const raw = p.get(key);
    if (raw === null) return;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < min || v > max)
      bad(key, `a number in ${min}..${max}`);
    else set(v);
  };
  const flag = (key: string, set: (v: boolean) => void): void => {
    const raw = p.get(key);
    if (raw === null) return;
    if (raw === '1' || raw === '0') set(raw === '1');
    else bad(key, '0 or 1');
  };
  const intList = (key: string, set: (v: number[]) => void): void => {
    const raw = p.get(key);
    if (raw === null || raw === '') return;
    const v = raw.split(',').map(Number);
    if (v.some((x) => !Number.isInteger(x))) bad(key, 'comma-separated integers');
    else set([...new Set(v)].sort((a, b) => a - b));
  };
  s.scene = p.get('scene') || null;
  s.mode = p.get('mode') || null;
  const cam = p.get('cam');
  if (cam !== null) {
    const v = numbers(cam, 6);
    if (v) s.camera = { position: [v[0], v[1], v[2]], target: [v[3], v[4], v[5]] };
    else bad('cam', '6 comma-separated numbers (position, target)');
  }
  intList('hide', (v) => (s.hidden = v));
  intList('herr', (v) => (s.hiddenErrors = v.filter((k) => k >= 0 && k <= 2)));
  num('size', 0.5, 64, (v) => (s.pointSize = v));
  num('budget', 1000, 1e9, (v) => (s.budget = Math.round(v)));
  flag('edl', (v) => (s.edl = v));
  num('edlr', 0, 10, (v) => (s.edlRadius = v));
  num('edls', 0, 10, (v) => (s.edlStrength = v));
  const bg = p.get('bg');
  if (bg !== null) {
    if (parseHexColor(bg)) s.background = `#${bg.toLowerCase()}`;
    else bad('bg', 'a hex colour rrggbb');
  }
  flag('split', (v) => (s.split = v));
  flag('boxes', (v) => (s.boxes = v));
  num('score', 0, 1, (v) => (s.minScore = v));
  const ramp = p.get('ramp');
  if (ramp !== null) {
    if ((RAMP_NAMES as string[]).includes(ramp)) s.ramp = ramp as RampName;
    else bad('ramp', RAMP_NAMES.join(' | '));
  }
  const range = p.get('range');
  if (range !== null) {
    const v = numbers(range, 2);
    if (v && v[0] < v[1]) s.range = [v[0], v[1]];
    else bad('range', 'min,max with min < max');
  }
  s.labels = p.get('labels') || null;
  return { state: s, problems };
}
