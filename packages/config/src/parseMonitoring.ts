import type { ConfigProblems } from './ConfigProblems.js';
import type { KeySpec } from './KeySpec.js';
import { builtinMonitoringKeys } from './keySpecs.js';
import type { ConfigEntry } from './parseConfigobj.js';
import { parseSettings, withDefaults } from './parseSettings.js';
import type { MonitoringSettings } from './types.js';

export interface MonitoringKeyRules {
  /** builtinMonitoringKeys plus the plugins' keys. */
  specs: Record<string, KeySpec>;
  /** Keep unknown keys as raw strings: plugins are configured but their keys were not given. */
  keepUnknown: boolean;
}

export function monitoringKeyRules(
  pluginKeys: Record<string, KeySpec> | undefined,
  monitorPlugins: readonly string[],
): MonitoringKeyRules {
  return {
    specs: { ...builtinMonitoringKeys, ...pluginKeys },
    keepUnknown: pluginKeys === undefined && monitorPlugins.length > 0,
  };
}

/** Parses [[Monitoring]] entries (defaults' first, then the program's) into settings with defaults applied. */
export function parseMonitoring(
  entries: ConfigEntry[],
  rules: MonitoringKeyRules,
  problems: ConfigProblems,
): MonitoringSettings {
  const raw = new Map<string, string>();
  const values = parseSettings(entries, rules.specs, problems, {
    onUnknownKey(entry) {
      if (!rules.keepUnknown) return false;
      raw.set(entry.key, entry.value);
      return true;
    },
  });
  for (const [key, value] of raw) values.set(key, value);
  return withDefaults(rules.specs, values) as MonitoringSettings;
}
