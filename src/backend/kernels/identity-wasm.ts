/**
 * Identity (what tf.clone and the autodiff engine's saving of forward tensors run) on wasm
 * without copying: the stock kernel copies the whole buffer on every call (≈ 7 % of a
 * pre-training step), while the cpu backend shares the data and counts references. Tensor data
 * is never written after creation, so sharing is safe; the wasm backend already shares for
 * Reshape. Platform-free.
 */
import * as tf from '@tensorflow/tfjs';

interface RefCountingBackend extends tf.KernelBackend {
  incRef(dataId: tf.DataId): void;
}

const shared: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    (backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

let stock: tf.KernelConfig | undefined;

/** Switches the wasm Identity kernel between sharing (default once registered) and the stock copy. */
export function setSharedIdentity(on: boolean): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current) return;
  if (current.kernelFunc !== shared.kernelFunc) stock ??= current;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(on || !stock ? shared : stock);
}
