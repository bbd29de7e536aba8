// Builds the `usrsvc` npm package: `usrsvc`, `usrsvcd` and `usrsvc-web` bundled with every @usrsvc package and
// library they use into dist/ (usrsvc-web.js and lazily loaded chunks as ES modules; the CLI and
// the daemon each as one CommonJS file, usrsvc-cli.cjs and usrsvcd-main.cjs, which their bins
// usrsvc.cjs and usrsvcd.cjs compile through a V8 code cache: see the README's "Start-up"), and the
// dashboard page (built by @usrsvc/web) into dist/public, so that one global install gives every command with no dependency to fetch, and the CLI starts without resolving
// dozens of modules. It also ships the project README for `usrsvc --readme`, and the pidfd addon's
// C source with its binding.gyp, which the package's install script compiles on the user's
// machine (falling back to polling when it cannot).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(packageDir, 'dist');

fs.rmSync(dist, { recursive: true, force: true });

await build({
  absWorkingDir: packageDir,
  entryPoints: { 'usrsvc-web': 'src/usrsvc-web.ts' },
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
  // CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __usrsvcCreateRequire } from 'node:module'; const require = __usrsvcCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// The CLI and the daemon: one CommonJS script each (vm.Script takes V8 cached data; ES modules
// cannot in Node 20, and an ES module entry also makes Node compile its ES module loader, ~30 ms of
// every start here). The modules they import lazily (yargs, logs, import, ps-list) stay in them as
// esbuild's lazy initialisers: compiled only when used. import.meta.url is the bundle's own file URL.
// import.meta.url in a CommonJS file: the file's own URL (the addon is found relative to it).
const OWN_URL = "const __usrsvcOwnUrl = require('node:url').pathToFileURL(__filename).href;";
// esbuild wraps each `import fs from 'node:fs'` in __toESM, which copies the module's every export
// onto a new object: 111 such copies in usrsvcd's bundle (57 of node:fs, ~12 ms of a CPU profile
// of its start), 92 in the CLI's. Built-ins are wrapped once each instead (shareBuiltins): the
// wrappers are only read.
const SHARED_BUILTINS =
  'const __usrsvcBuiltins = new WeakMap(); const __esmOf = (mod, isNodeMode) => { let wrapped = __usrsvcBuiltins.get(mod); if (wrapped === undefined) __usrsvcBuiltins.set(mod, (wrapped = __toESM(mod, isNodeMode))); return wrapped; };';
const commonJs = {
  absWorkingDir: packageDir,
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  logLevel: 'warning',
  define: { 'import.meta.url': '__usrsvcOwnUrl' },
  banner: { js: `${OWN_URL} ${SHARED_BUILTINS}` },
};

/** Each `__toESM(require("node:...")` call becomes `__esmOf(...)`: same length, so the source map still holds. */
function shareBuiltins(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes('__toESM(require("node:')) throw new Error(`${file}: no __toESM(require("node:...")) calls: esbuild's output changed shape, see shareBuiltins`);
  fs.writeFileSync(file, text.replaceAll('__toESM(require("node:', '__esmOf(require("node:'));
}

/** dist/NAME.cjs from `entry`, its built-ins shared; `options` adds to commonJs (`define` too). Returns its path. */
async function buildCommonJs(name, entry, options = {}) {
  await build({ ...commonJs, ...options, entryPoints: { [name]: entry }, define: { ...commonJs.define, ...options.define } });
  const file = path.join(dist, `${name}.cjs`);
  shareBuiltins(file);
  return file;
}

const bundles = [
  { bundle: 'usrsvc-cli', entry: 'src/bin.ts', bin: 'usrsvc', binEntry: 'src/usrsvcBin.ts', shaName: '__USRSVC_CLI_SHA256__' },
  { bundle: 'usrsvcd-main', entry: 'src/usrsvcd.ts', bin: 'usrsvcd', binEntry: 'src/usrsvcdBin.ts', shaName: '__USRSVCD_SHA256__' },
];
for (const { bundle, entry, bin, binEntry, shaName } of bundles) {
  const bundleFile = await buildCommonJs(bundle, entry, { minifyWhitespace: true, sourcemap: 'linked' });
  // Its bin: the small loader, with Node built-ins and the addon's blocking exchange, and the bundle's hash written in.
  const sha256 = createHash('sha256').update(fs.readFileSync(bundleFile)).digest('hex');
  await buildCommonJs(bin, binEntry, { define: { [shaName]: JSON.stringify(sha256) } });
}
for (const bin of ['usrsvc.cjs', 'usrsvcd.cjs', 'usrsvc-web.js']) fs.chmodSync(path.join(dist, bin), 0o755);

fs.copyFileSync(path.join(packageDir, '..', '..', 'README.md'), path.join(dist, 'usrsvc-README.md'));

// The dashboard page, bundled by @usrsvc/web's build (preact + htm, no CDN): served from dist/public.
const webDir = path.dirname(createRequire(import.meta.url).resolve('@usrsvc/web/package.json'));
fs.cpSync(path.join(webDir, 'dist', 'public'), path.join(dist, 'public'), { recursive: true });

// The bundled exitwatch loads <package>/build/Release/usrsvc_exitwatch.node relative to dist/.
const exitwatchDir = path.dirname(createRequire(import.meta.url).resolve('@usrsvc/exitwatch/package.json'));
fs.rmSync(path.join(packageDir, 'native'), { recursive: true, force: true });
const nativeSources = fs.readdirSync(path.join(exitwatchDir, 'native')).map((file) => `native/${file}`); // every .c and .h binding.gyp compiles
for (const file of ['binding.gyp', ...nativeSources, 'scripts/noAddon.cjs', 'build/Release/usrsvc_exitwatch.node']) {
  const from = path.join(exitwatchDir, file);
  const to = path.join(packageDir, file);
  fs.rmSync(to, { force: true });
  if (!fs.existsSync(from)) continue; // no addon where exitwatch could not compile it: polling
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
