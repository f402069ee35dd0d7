/**
 * `npm run build`: compiles src/ to dist/ with tsc (tsconfig.build.json) and copies the files the server
 * reads at run time beside its modules (migrations, the schema snapshot, the common-password list), so that
 * production runs `node dist/main.js` without tsx.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

/** Run-time data: everything in src/ that is not TypeScript, a test or a README. */
function copyData(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      n += copyData(p);
      continue;
    }
    if (['.ts', '.tsx'].includes(extname(name)) || name.endsWith('.md')) continue;
    cpSync(p, join(dist, relative(src, p)));
    n++;
  }
  return n;
}
console.log(`dist/: compiled, ${copyData(src)} data files copied`);
