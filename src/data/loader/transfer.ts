/**
 * The ArrayBuffers of a batch, for a postMessage transfer list: the worker hands its typed arrays
 * to the training thread without copying them. Every batch array owns a fresh buffer.
 */
import type { Batch, Voxels } from './types.js';

function addVoxels(v: Voxels, out: Set<ArrayBuffer>): void {
  const arrays: (ArrayBufferView | undefined)[] = [
    v.coords,
    v.feats,
    v.labels,
    v.instances,
    v.offsets,
    v.affine,
    v.affineExact,
  ];
  if (v.pointToVoxel) arrays.push(...v.pointToVoxel);
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
}

/** Distinct transferable buffers of a batch. */
export function batchTransferList(batch: Batch): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  if (batch.kind === 'scenes') {
    addVoxels(batch, out);
  } else {
    addVoxels(batch.view0, out);
    addVoxels(batch.view1, out);
    for (const a of [batch.corr, batch.corrOffsets]) if (a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  }
  return [...out];
}
