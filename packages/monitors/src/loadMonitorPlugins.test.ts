import fs from 'node:fs';
import { readProcess } from '@usrsvc/procscan';
import { makeTempHome, type TempHome } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMonitors } from './createMonitors.js';
import { loadMonitorPlugins } from './loadMonitorPlugins.js';
import { MonitorKeyConflictError, MonitorPluginError } from './MonitorPluginError.js';
import { runMonitorCheck } from './runMonitorCheck.js';
import { programWith } from './test-support/program.js';

const self = readProcess(process.pid)!;
let home: TempHome;
beforeEach(() => {
  home = makeTempHome('usrsvc-plugins-');
});
afterEach(() => home.remove());

/** Writes a package into <home>/node_modules/<name> (or `dir`) and returns its folder. */
function writePackage(name: string, manifest: Record<string, unknown>, files: Record<string, string>, dir = home.path('node_modules', name)) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(`${dir}/package.json`, JSON.stringify({ name, version: '1.0.0', ...manifest }));
  for (const [file, content] of Object.entries(files)) home.write(`${dir.slice(home.dir.length + 1)}/${file}`, content);
  return dir;
}

/** An ESM plugin whose monitor restarts when [[Monitoring]] <key> is "restart". */
const esmPlugin = (name: string, key: string) => `export default ${pluginObject(name, key)};`;
const pluginObject = (name: string, key: string) => `{
  name: ${JSON.stringify(name)},
  keys: { ${key}: { type: 'string', description: 'demo' } },
  create(program) {
    const value = program.monitoring.${key};
    if (value === undefined) return undefined;
    return {
      name: ${JSON.stringify(name)},
      check: ({ process }) => value === 'restart' ? { restart: true, reason: 'asked for pid ' + process.pid } : { restart: false },
    };
  },
}`;

async function loadError(specs: string[], resolveFrom: string[] = [home.dir]): Promise<MonitorPluginError> {
  const error = await loadMonitorPlugins(specs, { resolveFrom }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MonitorPluginError);
  return error as MonitorPluginError;
}

describe('loadMonitorPlugins', () => {
  it('loads an ESM package by name from node_modules above a resolveFrom folder, honouring exports', async () => {
    writePackage(
      'usrsvc-monitor-demo',
      { type: 'module', exports: { '.': { types: './index.d.ts', require: './missing.cjs', import: './lib/index.js' } } },
      { 'lib/index.js': esmPlugin('demo', 'demo_mode') },
    );
    const deep = home.path('config', 'cfg.d');
    fs.mkdirSync(deep, { recursive: true });
    const plugins = await loadMonitorPlugins(['usrsvc-monitor-demo'], { resolveFrom: [home.path('nowhere'), deep] });
    expect(plugins.map((p) => p.name)).toEqual(['demo']);

    const { monitors, errors } = createMonitors(programWith({ demo_mode: 'restart' }), plugins);
    expect(errors).toEqual([]);
    expect(await runMonitorCheck(monitors[0]!, { process: self }, 1000)).toMatchObject({
      kind: 'restart',
      monitor: 'demo',
      reason: `asked for pid ${process.pid}`,
    });
    expect(createMonitors(programWith({}), plugins).monitors).toEqual([]);
  });

  it('loads by absolute path: a file, and a package folder', async () => {
    const file = home.write('plugins/one.mjs', esmPlugin('one', 'one_key'));
    const dir = writePackage('two', { main: 'main.cjs' }, { 'main.cjs': `module.exports = ${pluginObject('two', 'two_key')};` }, home.path('plugins', 'two'));
    const plugins = await loadMonitorPlugins([file, dir], { resolveFrom: [] });
    expect(plugins.map((p) => p.name)).toEqual(['one', 'two']);
  });

  it('loads a scoped CommonJS package with a subpath export pattern and an array of plugins', async () => {
    writePackage(
      '@acme/monitors',
      { exports: { './*': { node: './dist/*.cjs' } } },
      { 'dist/pair.cjs': `module.exports = [${pluginObject('acme-a', 'acme_a')}, ${pluginObject('acme-b', 'acme_b')}];` },
    );
    const plugins = await loadMonitorPlugins(['@acme/monitors/pair'], { resolveFrom: [home.dir] });
    expect(plugins.map((p) => p.name)).toEqual(['acme-a', 'acme-b']);
  });

  it('unwraps a CommonJS build of `export default`', async () => {
    const body = `exports.default = ${pluginObject('wrapped', 'wrapped_key')};`;
    writePackage('wrapped', {}, { 'index.js': `Object.defineProperty(exports, '__esModule', { value: true });\n${body}` });
    expect((await loadMonitorPlugins(['wrapped'], { resolveFrom: [home.dir] })).map((p) => p.name)).toEqual(['wrapped']);
  });

  it('names the plugin and the reason when it cannot be found', async () => {
    const missing = await loadError(['usrsvc-monitor-missing']);
    expect(missing).toMatchObject({ plugin: 'usrsvc-monitor-missing', reason: 'not-found', code: 'USRSVC_MONITOR_PLUGIN' });
    expect(missing.message).toContain('usrsvc-monitor-missing');
    expect(missing.message).toContain(home.path('node_modules'));
    expect(await loadError([home.path('absent.js')])).toMatchObject({ reason: 'not-found' });
    expect(await loadError(['./relative.js'])).toMatchObject({ reason: 'invalid-spec' });
    expect(await loadError(['not a name'])).toMatchObject({ reason: 'invalid-spec' });
    writePackage('esm-only', { exports: { '.': { require: './x.cjs' } } }, { 'x.cjs': '' });
    expect((await loadError(['esm-only'])).detail).toMatch(/does not export \. for import/);
  });

  it('reports a module that throws while importing', async () => {
    const file = home.write('bad.mjs', 'throw new Error("cannot start");');
    const error = await loadError([file]);
    expect(error).toMatchObject({ reason: 'import-failed', plugin: file });
    expect(error.message).toContain('cannot start');
  });

  it('rejects malformed plugins with the reason', async () => {
    const cases: Array<[string, RegExp]> = [
      ['export const plugin = {};', /no default export/],
      ['export default 42;', /expected a MonitorPlugin object, got number/],
      ['export default [];', /empty array/],
      ['export default { name: "x", keys: {} };', /no create\(program\) function/],
      ['export default { name: "Bad Name", keys: {}, create() {} };', /name must be/],
      ['export default { name: "x", keys: { k: { type: "float" } }, create() {} };', /key k has type "float"/],
      ['export default { name: "x", keys: { BadKey: { type: "string" } }, create() {} };', /lowercase snake_case/],
      ['export default { name: "x", keys: [], create() {} };', /keys must be an object/],
    ];
    for (const [index, [source, detail]] of cases.entries()) {
      const file = home.write(`malformed-${index}.mjs`, source);
      const error = await loadError([file]);
      expect(error.reason).toBe('malformed');
      expect(error.detail).toMatch(detail);
    }
  });

  it('rejects a plugin name used twice or taken by a built-in', async () => {
    const a = home.write('a.mjs', esmPlugin('same', 'key_a'));
    const b = home.write('b.mjs', esmPlugin('same', 'key_b'));
    expect(await loadError([a, b])).toMatchObject({ reason: 'duplicate-name', plugin: b });
    const rss = home.write('rss.mjs', esmPlugin('rss', 'other_key'));
    expect((await loadError([rss])).detail).toMatch(/already used by usrsvc \(built-in\)/);
  });

  it('rejects two plugins claiming the same key, and a plugin claiming a built-in key', async () => {
    const a = home.write('a.mjs', esmPlugin('first', 'shared_key'));
    const b = home.write('b.mjs', esmPlugin('second', 'shared_key'));
    const conflict = await loadError([a, b]);
    expect(conflict).toBeInstanceOf(MonitorKeyConflictError);
    expect(conflict).toMatchObject({ reason: 'key-conflict', key: 'shared_key', plugins: ['first', 'second'] });
    const builtin = home.write('c.mjs', esmPlugin('greedy', 'rss_limit'));
    expect(await loadError([builtin])).toMatchObject({ key: 'rss_limit', plugins: ['rss', 'greedy'] });
  });

  it('runs a loaded plugin whose check hangs (timeout) or throws (error) without throwing', async () => {
    const file = home.write(
      'naughty.mjs',
      `export default [
        { name: 'hangs', keys: {}, create: () => ({ name: 'hangs', check: () => new Promise(() => {}) }) },
        { name: 'throws', keys: {}, create: () => ({ name: 'throws', check: () => { throw new Error('bad check'); } }) },
        { name: 'breaks', keys: {}, create: () => { throw new Error('bad create'); } },
      ];`,
    );
    const plugins = await loadMonitorPlugins([file], { resolveFrom: [] });
    const { monitors, errors } = createMonitors(programWith({}), plugins);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ plugin: 'breaks', reason: 'create-failed', program: 'demo' });
    const [hangs, throws] = await Promise.all(monitors.map((monitor) => runMonitorCheck(monitor, { process: self }, 300)));
    expect(hangs).toMatchObject({ kind: 'timeout', monitor: 'hangs' });
    expect(throws).toMatchObject({ kind: 'error', monitor: 'throws' });
    expect(throws?.kind === 'error' && throws.error.message).toBe('bad check');
  });
});
