/**
 * The synthetic dataset's class list (train ids 0..K-1, ScanNet palette where ScanNet has the
 * class). datasets/synthetic.json holds the same data for other consumers; a test keeps them equal.
 */

/** One class of a label map. */
export interface SynthClass {
  id: number;
  name: string;
  color: [number, number, number];
  /** True for "things" that get instance boxes; walls/floor/ceiling and clutter do not. */
  detection: boolean;
}

/** A label map in the shape every dataset's datasets/<name>.json uses. */
export interface SynthLabelMap {
  name: string;
  description: string;
  ignoreLabel: number;
  classes: SynthClass[];
}

// The first 19 follow ScanNet-20's order (shower curtain left out), so mapping to ScanNet is a prefix.
const CLASS_ROWS: [string, [number, number, number], boolean][] = [
  ['wall', [174, 199, 232], false],
  ['floor', [152, 223, 138], false],
  ['cabinet', [31, 119, 180], true],
  ['bed', [255, 187, 120], true],
  ['chair', [188, 189, 34], true],
  ['sofa', [140, 86, 75], true],
  ['table', [255, 152, 150], true],
  ['door', [214, 39, 40], true],
  ['window', [197, 176, 213], true],
  ['bookshelf', [148, 103, 189], true],
  ['picture', [196, 156, 148], true],
  ['counter', [23, 190, 207], true],
  ['desk', [247, 182, 210], true],
  ['curtain', [219, 219, 141], true],
  ['refrigerator', [255, 127, 14], true],
  ['toilet', [44, 160, 44], true],
  ['sink', [112, 128, 144], true],
  ['bathtub', [227, 119, 194], true],
  ['otherfurniture', [82, 84, 163], true],
  ['ceiling', [100, 85, 144], false],
  ['lamp', [255, 224, 32], true],
  ['nightstand', [210, 105, 30], true],
  ['monitor', [0, 128, 128], true],
  ['otherprop', [128, 128, 128], false],
];

/** The synthetic label map (identical to datasets/synthetic.json). */
export const SYNTH_LABEL_MAP: SynthLabelMap = {
  name: 'synthetic',
  description:
    'Procedural indoor rooms from src/data/synth (pointcontrast data synth). Train ids 0-18 follow ScanNet-20 order without shower curtain; detection marks classes whose instances get boxes.',
  ignoreLabel: -1,
  classes: CLASS_ROWS.map(([name, color, detection], id) => ({ id, name, color, detection })),
};

/** Train id of each class by name. */
export const L = {
  wall: 0,
  floor: 1,
  cabinet: 2,
  bed: 3,
  chair: 4,
  sofa: 5,
  table: 6,
  door: 7,
  window: 8,
  bookshelf: 9,
  picture: 10,
  counter: 11,
  desk: 12,
  curtain: 13,
  refrigerator: 14,
  toilet: 15,
  sink: 16,
  bathtub: 17,
  otherfurniture: 18,
  ceiling: 19,
  lamp: 20,
  nightstand: 21,
  monitor: 22,
  otherprop: 23,
} as const;

/** Number of classes. */
export const NUM_SYNTH_CLASSES = CLASS_ROWS.length;

/** Room types the generator knows. */
export const ROOM_TYPES = ['bedroom', 'office', 'livingroom', 'kitchen', 'bathroom'] as const;
/** One of ROOM_TYPES. */
export type RoomType = (typeof ROOM_TYPES)[number];
