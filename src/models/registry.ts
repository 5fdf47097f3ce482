/**
 * Typed registry of backbones by name (OpenPCDet style: a plain object, no decorators):
 * MinkowskiEngine's Res16UNet14A/18A/34C with the reference planes/layers, plus narrow
 * variants for CPUs (widths ÷2 "-w2" and ÷4 "-w4").
 */
import type { UNetSpec } from './res16unet.js';

const A = [32, 64, 128, 256, 128, 128, 96, 96] as const;
const C = [32, 64, 128, 256, 256, 128, 96, 96] as const;
const L14 = [1, 1, 1, 1, 1, 1, 1, 1] as const;
const L18 = [2, 2, 2, 2, 2, 2, 2, 2] as const;
const L34 = [2, 3, 4, 6, 2, 2, 2, 2] as const;

function narrow(spec: UNetSpec, div: number): UNetSpec {
  const d = (v: number) => Math.max(4, Math.round(v / div));
  return {
    planes: spec.planes.map(d) as unknown as UNetSpec['planes'],
    layers: spec.layers,
    initDim: d(spec.initDim),
  };
}

const BASE = {
  Res16UNet14A: { planes: A, layers: L14, initDim: 32 },
  Res16UNet18A: { planes: A, layers: L18, initDim: 32 },
  Res16UNet34C: { planes: C, layers: L34, initDim: 32 },
} as const satisfies Record<string, UNetSpec>;

export const BACKBONES = {
  ...BASE,
  'Res16UNet14A-w2': narrow(BASE.Res16UNet14A, 2),
  'Res16UNet14A-w4': narrow(BASE.Res16UNet14A, 4),
  'Res16UNet18A-w2': narrow(BASE.Res16UNet18A, 2),
  'Res16UNet34C-w2': narrow(BASE.Res16UNet34C, 2),
  'Res16UNet34C-w4': narrow(BASE.Res16UNet34C, 4),
} as const satisfies Record<string, UNetSpec>;

export type BackboneName = keyof typeof BACKBONES;
export const BACKBONE_NAMES = Object.keys(BACKBONES) as BackboneName[];
