// Boots pairs-worker.ts in a worker thread when running from the TypeScript sources: the worker's
// entry module is loaded before `--import tsx` takes effect, so tsx is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./pairs-worker.ts');
