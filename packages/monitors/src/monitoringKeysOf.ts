import { builtinMonitoringKeys } from '@usrsvc/config';
import type { KeySpec, MonitorPlugin } from './MonitorPlugin.js';
import { MonitorKeyConflictError } from './MonitorPluginError.js';

/** How errors name the owner of a built-in key or plugin name. */
export const BUILTIN_OWNER = 'usrsvc (built-in)';

/**
 * Merges the `[[Monitoring]]` keys of the given plugins, for readConfig's `monitoringKeys`.
 * Returns only the keys that are not built in (`builtinMonitoringKeys` from @usrsvc/config), so
 * passing the built-in plugins too is harmless. Throws MonitorKeyConflictError when two plugins
 * claim the same key, or a plugin claims a built-in key with a spec of its own.
 */
export function monitoringKeysOf(plugins: readonly MonitorPlugin[]): Record<string, KeySpec> {
  const owners = new Map<string, string>();
  const merged: Record<string, KeySpec> = {};
  for (const plugin of plugins) {
    for (const [key, spec] of Object.entries(plugin.keys)) {
      const owner = owners.get(key);
      if (owner !== undefined) throw new MonitorKeyConflictError(key, owner, plugin.name);
      if (Object.hasOwn(builtinMonitoringKeys, key)) {
        if (spec !== builtinMonitoringKeys[key]) throw new MonitorKeyConflictError(key, BUILTIN_OWNER, plugin.name);
      } else {
        merged[key] = spec;
      }
      owners.set(key, plugin.name);
    }
  }
  return merged;
}
