import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const toyModule = fileURLToPath(new URL('./toy-source.ts', import.meta.url));
const spec = (o: object) => ({ type: 'module', module: toyModule, options: o });

describe('data loader process lifetime', () => {
  test('an idle prefetch worker does not keep the process alive if the loader is never closed', () => {
    const script = `
      import { createLoader } from ${JSON.stringify(new URL('../../../src/data/loader/loader.ts', import.meta.url).href)};
      import { parseLoaderConfig } from ${JSON.stringify(new URL('../../../src/data/loader/config.ts', import.meta.url).href)};
      const l = await createLoader({ source: ${JSON.stringify(spec({ kind: 'scenes', count: 2, points: 50 }))},
        config: parseLoaderConfig({ voxelSize: 0.1, batchSize: 1, epochs: 1, workers: 1 }) });
      const a = await l.next(); const b = await l.next(); const c = await l.next();
      console.log(a.sceneNames[0].slice(0, 4), b.sceneNames.length, c);`;
    // a hang guard only: the child normally exits within seconds; a loaded CI machine may take
    // much longer to start it
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(res.signal, null, 'the process did not exit within 300 s: something keeps it alive');
    assert.equal(res.status, 0, res.stderr);
    assert.equal(res.stdout.trim(), 'toy- 1 null');
  });
});
