import { pathToFileURL } from 'node:url';
import { builtinMonitorPlugins } from './builtinMonitorPlugins.js';
import type { MonitorPlugin } from './MonitorPlugin.js';
import { MonitorPluginError } from './MonitorPluginError.js';
import { BUILTIN_OWNER, monitoringKeysOf } from './monitoringKeysOf.js';
import { resolvePluginSpec } from './resolvePluginSpec.js';
import { validateMonitorPlugin } from './validateMonitorPlugin.js';

export interface LoadMonitorPluginsOptions {
  /**
   * Folders to resolve package names from, in order (Node's lookup: `node_modules` in each folder
   * and the folders above it). usrsvcd passes its config folder, $HOME and its own install location.
   */
  resolveFrom: readonly string[];
}

/**
 * Loads third-party monitor plugins (`[Main] monitor_plugins`): each spec is a package name
 * (optionally with a subpath) or an absolute path to a file or package folder. The module's
 * default export must be a MonitorPlugin or a non-empty array of them (an ES module's
 * `export default`, or a CommonJS `module.exports`).
 * Returns the plugins in order. Throws MonitorPluginError naming the spec when one cannot be found,
 * fails to import, is malformed, repeats a plugin name (built-ins included), or claims a
 * `[[Monitoring]]` key another plugin or the built-ins own (MonitorKeyConflictError).
 */
export async function loadMonitorPlugins(specs: readonly string[], options: LoadMonitorPluginsOptions): Promise<MonitorPlugin[]> {
  const loaded: MonitorPlugin[] = [];
  const names = new Map<string, string>(builtinMonitorPlugins.map((plugin) => [plugin.name, BUILTIN_OWNER]));
  for (const spec of specs) {
    const file = resolvePluginSpec(spec, options.resolveFrom);
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (error) {
      throw new MonitorPluginError(spec, 'import-failed', `importing ${file} failed: ${String(error)}`, { cause: error });
    }
    for (const plugin of pluginsOf(namespace, spec, file)) {
      const previous = names.get(plugin.name);
      if (previous !== undefined) {
        throw new MonitorPluginError(spec, 'duplicate-name', `plugin name ${JSON.stringify(plugin.name)} is already used by ${previous}`);
      }
      names.set(plugin.name, JSON.stringify(spec));
      loaded.push(plugin);
    }
  }
  monitoringKeysOf([...builtinMonitorPlugins, ...loaded]);
  return loaded;
}

function pluginsOf(namespace: Record<string, unknown>, spec: string, file: string): MonitorPlugin[] {
  let exported = namespace.default;
  // A CommonJS build of `export default` (module.exports = { __esModule: true, default: plugin }).
  if (isRecord(exported) && exported.__esModule === true && 'default' in exported) exported = exported.default;
  if (exported === undefined) {
    throw new MonitorPluginError(spec, 'malformed', `${file} has no default export; export default a MonitorPlugin or an array of them`);
  }
  if (Array.isArray(exported)) {
    if (exported.length === 0) throw new MonitorPluginError(spec, 'malformed', `${file} exports an empty array of plugins`);
    return exported.map((item) => validateMonitorPlugin(item, spec));
  }
  return [validateMonitorPlugin(exported, spec)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
