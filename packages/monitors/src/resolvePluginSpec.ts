import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MonitorPluginError } from './MonitorPluginError.js';

/** The conditions an ESM import uses, in Node's order of preference. */
const CONDITIONS = ['import', 'node', 'default'];
const PACKAGE_NAME_RE = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

/**
 * Finds the file to import for a `monitor_plugins` entry:
 * - an absolute path (or file: URL) to a file is used as is; to a folder, that folder is a package
 *   (its package.json `exports` "." entry, else `main`, else index.js);
 * - a package name, optionally with a subpath (`usrsvc-monitor-foo`, `@me/mon`, `@me/mon/extra`), is
 *   looked up like Node's ESM resolver would from each folder of `resolveFrom` in turn: in
 *   `node_modules` of that folder and of each folder above it, honouring `exports` with the
 *   "import", "node" and "default" conditions (subpath patterns included), then `main`.
 * Throws MonitorPluginError ('invalid-spec' or 'not-found').
 */
export function resolvePluginSpec(spec: string, resolveFrom: readonly string[]): string {
  const written = spec;
  let target = spec.trim();
  if (target.startsWith('file:')) {
    try {
      target = fileURLToPath(target);
    } catch (error) {
      throw new MonitorPluginError(written, 'invalid-spec', `not a valid file: URL (${String(error)})`, { cause: error });
    }
  }
  if (path.isAbsolute(target)) return resolveAbsolute(written, target);

  const { name, subpath } = splitPackageSpec(written, target);
  const searched: string[] = [];
  for (const folder of resolveFrom) {
    for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
      const pkgDir = path.join(dir, 'node_modules', name);
      searched.push(path.join(dir, 'node_modules'));
      if (isFile(path.join(pkgDir, 'package.json')) || isDirectory(pkgDir)) return resolvePackage(written, pkgDir, subpath);
      if (path.dirname(dir) === dir) break;
    }
  }
  const where = resolveFrom.length === 0 ? 'no folders were given to look in' : `looked in ${unique(searched).join(', ')}`;
  throw new MonitorPluginError(written, 'not-found', `package ${name} is not installed (${where})`);
}

function resolveAbsolute(spec: string, file: string): string {
  if (isDirectory(file)) return resolvePackage(spec, file, '.');
  if (isFile(file)) return fs.realpathSync(file);
  throw new MonitorPluginError(spec, 'not-found', `${file} does not exist`);
}

function splitPackageSpec(spec: string, value: string): { name: string; subpath: string } {
  const parts = value.split('/');
  const nameParts = value.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameParts).join('/');
  const rest = parts.slice(nameParts);
  if (!PACKAGE_NAME_RE.test(name) || rest.some((part) => part === '' || part === '.' || part === '..')) {
    throw new MonitorPluginError(
      spec,
      'invalid-spec',
      'expected a package name (e.g. usrsvc-monitor-foo or @scope/name) or an absolute path; relative paths are not allowed',
    );
  }
  return { name, subpath: rest.length === 0 ? '.' : `./${rest.join('/')}` };
}

function resolvePackage(spec: string, pkgDir: string, subpath: string): string {
  const manifestFile = path.join(pkgDir, 'package.json');
  let manifest: { exports?: unknown; main?: unknown } = {};
  if (isFile(manifestFile)) {
    try {
      manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as typeof manifest;
    } catch (error) {
      throw new MonitorPluginError(spec, 'not-found', `cannot read ${manifestFile}: ${String(error)}`, { cause: error });
    }
  }
  if (manifest.exports !== undefined && manifest.exports !== null) {
    const target = resolveExports(manifest.exports, subpath);
    if (target === undefined) {
      throw new MonitorPluginError(spec, 'not-found', `${manifestFile} does not export ${subpath} for import (conditions: ${CONDITIONS.join(', ')})`);
    }
    const file = path.resolve(pkgDir, target);
    if (!isFile(file)) throw new MonitorPluginError(spec, 'not-found', `${manifestFile} exports ${subpath} as ${target}, which does not exist`);
    return fs.realpathSync(file);
  }
  const base = subpath === '.' ? (typeof manifest.main === 'string' && manifest.main ? manifest.main : 'index.js') : subpath;
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, path.join(base, 'index.js')]) {
    const file = path.resolve(pkgDir, candidate);
    if (isFile(file)) return fs.realpathSync(file);
  }
  throw new MonitorPluginError(spec, 'not-found', `no entry point for ${subpath} in ${pkgDir} (tried main/index.js)`);
}

/** Resolves a package.json `exports` field for `subpath` ("." or "./x") to a "./..." target. */
function resolveExports(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    typeof exports === 'object' && exports !== null && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  if (!isSubpathMap) return subpath === '.' ? resolveTarget(exports, '') : undefined;
  const map = exports as Record<string, unknown>;
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return resolveTarget(map[subpath], '');
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.length >= key.length - 1 && subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      if (!best || prefix.length > best.key.indexOf('*')) best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? resolveTarget(map[best.key], best.match) : undefined;
}

function resolveTarget(target: unknown, match: string): string | undefined {
  if (typeof target === 'string') return target.startsWith('./') ? target.replaceAll('*', match) : undefined;
  if (Array.isArray(target)) {
    for (const item of target) {
      const resolved = resolveTarget(item, match);
      if (resolved !== undefined) return resolved;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (!CONDITIONS.includes(condition)) continue;
      const resolved = resolveTarget(value, match);
      if (resolved !== undefined) return resolved;
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
