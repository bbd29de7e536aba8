// Bundles the dashboard (page/: preact + htm) into dist/public: app.js, app.css and index.html,
// served by usrsvc-web from memory. Nothing is fetched from elsewhere at run time; the whole page
// must stay under 150 kB, which this script checks.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(packageDir, 'dist', 'public');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

await build({
  absWorkingDir: packageDir,
  entryPoints: ['page/src/main.ts'],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await build({ absWorkingDir: packageDir, entryPoints: ['page/app.css'], outfile: path.join(out, 'app.css'), minify: true, logLevel: 'warning' });
fs.copyFileSync(path.join(packageDir, 'page', 'index.html'), path.join(out, 'index.html'));

const total = fs.readdirSync(out).reduce((sum, file) => sum + fs.statSync(path.join(out, file)).size, 0);
const LIMIT = 150 * 1024;
if (total > LIMIT) throw new Error(`the page is ${total} bytes, over the ${LIMIT}-byte budget`);
