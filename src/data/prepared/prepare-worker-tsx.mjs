// Boots prepare-worker.ts in a worker thread when running from the TypeScript sources: Node 20
// workers ignore `--import tsx` for their entry module, so tsx is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./prepare-worker.ts');
