// Bundles the `usrsvc` command into dist/bin.js (plus lazily loaded chunks beside it) so that it
// starts without resolving and compiling dozens of modules, and ships the project README for
// `usrsvc --readme`. tsc has already emitted the library build (dist/index.js, dist/usrsvcd.js...).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(packageDir, 'dist');
const CHUNK = /-[A-Z0-9]{8}\.js(\.map)?$/;

for (const file of fs.readdirSync(dist)) {
  if (CHUNK.test(file)) fs.rmSync(path.join(dist, file));
}

await build({
  absWorkingDir: packageDir,
  entryPoints: { bin: 'src/bin.ts' },
  outdir: 'dist',
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // CommonJS dependencies (proper-lockfile...) call require() for Node built-ins.
  banner: { js: "import { createRequire as __usrsvcCreateRequire } from 'node:module'; const require = __usrsvcCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
for (const bin of ['bin.js', 'usrsvcd.js']) fs.chmodSync(path.join(dist, bin), 0o755);

fs.copyFileSync(path.join(packageDir, '..', '..', 'README.md'), path.join(dist, 'usrsvc-README.md'));
