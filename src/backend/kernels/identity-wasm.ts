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

const sharedKernel: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    (backend as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

let stock: tf.KernelConfig | undefined;

/**
 * Registers the wasm Identity kernel: the sharing one (what registerCustomKernels installs) or,
 * with `shared: false`, tfjs's stock copy (the earlier code path `bench pretrain --baseline`
 * measures, named by CodePaths.sharedIdentity). tfjs's kernel registry is process-wide.
 */
export function registerIdentityKernel(shared: boolean): void {
  const current = tf.getKernel('Identity', 'wasm');
  if (!current) return;
  if (current.kernelFunc !== sharedKernel.kernelFunc) stock ??= current;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel(shared || !stock ? sharedKernel : stock);
}
