import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConfigProblem } from '@usrsvc/api';
import { ConfigErrors, configProblemsOf, readConfig, type UsrsvcConfig } from '@usrsvc/config';
import { builtinMonitorPlugins, loadMonitorPlugins, type MonitorPlugin, monitoringKeysOf } from '@usrsvc/monitors';

export interface LoadedConfig {
  config: UsrsvcConfig;
  /** Built-in monitors first, then [Main] monitor_plugins. */
  plugins: MonitorPlugin[];
}

/** Everything wrong with a configuration, one line per problem (file:line: [section] key: detail). */
export class ConfigLoadError extends Error {
  constructor(
    readonly problems: string[],
    /** The same problems with their file, line and key, when the configuration reader gave them. */
    readonly details: ConfigProblem[] = [],
  ) {
    super(problems.join('\n'));
    this.name = 'ConfigLoadError';
  }
}

const installDir = () => path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Reads the configuration as usrsvcd uses it: with [Main] monitor_plugins loaded, and read again
 * with their [[Monitoring]] keys so those are validated too. Throws ConfigLoadError, never anything else.
 */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const first = read(env);
  const specs = first.main.monitorPlugins;
  if (specs.length === 0) return { config: first, plugins: [...builtinMonitorPlugins] };
  let loaded: MonitorPlugin[];
  try {
    const resolveFrom = [path.dirname(first.main.file), first.main.configDir, env.HOME, installDir()].filter(
      (dir): dir is string => typeof dir === 'string' && dir !== '',
    );
    loaded = await loadMonitorPlugins(specs, { resolveFrom });
  } catch (error) {
    throw new ConfigLoadError([`${first.main.file}: [Main] monitor_plugins: ${describe(error)}`]);
  }
  const plugins = [...builtinMonitorPlugins, ...loaded];
  let monitoringKeys: ReturnType<typeof monitoringKeysOf>;
  try {
    monitoringKeys = monitoringKeysOf(plugins);
  } catch (error) {
    throw new ConfigLoadError([`${first.main.file}: [Main] monitor_plugins: ${describe(error)}`]);
  }
  return { config: read(env, monitoringKeys), plugins };
}

function read(env: NodeJS.ProcessEnv, monitoringKeys?: ReturnType<typeof monitoringKeysOf>): UsrsvcConfig {
  try {
    return readConfig(monitoringKeys ? { env, monitoringKeys } : { env });
  } catch (error) {
    if (error instanceof ConfigErrors) {
      throw new ConfigLoadError(
        error.errors.map((e) => e.message),
        configProblemsOf(error),
      );
    }
    throw new ConfigLoadError([describe(error)]);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
