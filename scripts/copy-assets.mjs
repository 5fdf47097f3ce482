// Copies non-TypeScript runtime files (*.cjs, *.json under src/) next to the compiled output in dist/.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(cjs|json)$/.test(name)) {
      const dest = join('dist', p.slice('src/'.length));
      mkdirSync(dirname(dest), { recursive: true });
      cpSync(p, dest);
    }
  }
}
walk('src');
