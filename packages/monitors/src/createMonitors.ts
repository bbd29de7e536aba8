import type { Monitor, MonitorPlugin, ProgramConfig } from './MonitorPlugin.js';
import { MonitorPluginError } from './MonitorPluginError.js';

export interface CreatedMonitors {
  /** One per plugin whose keys the program sets. */
  monitors: Monitor[];
  /** Plugins whose create() threw or returned something that is not a Monitor; the others still work. */
  errors: MonitorPluginError[];
}

/**
 * Asks every plugin for this program's monitor. Call it once per program (and again after the
 * configuration is reread) and keep the monitors: they may keep state across checks.
 */
export function createMonitors(program: ProgramConfig, plugins: readonly MonitorPlugin[]): CreatedMonitors {
  const monitors: Monitor[] = [];
  const errors: MonitorPluginError[] = [];
  for (const plugin of plugins) {
    let monitor: unknown;
    try {
      monitor = plugin.create(program);
    } catch (error) {
      errors.push(new MonitorPluginError(plugin.name, 'create-failed', `create() threw: ${String(error)}`, { cause: error, program: program.name }));
      continue;
    }
    if (monitor === undefined || monitor === null) continue;
    const candidate = monitor as Partial<Monitor>;
    if (typeof candidate !== 'object' || typeof candidate.check !== 'function') {
      errors.push(new MonitorPluginError(plugin.name, 'create-failed', 'create() returned something without a check() function', { program: program.name }));
      continue;
    }
    monitors.push(typeof candidate.name === 'string' && candidate.name ? (monitor as Monitor) : { name: plugin.name, check: candidate.check.bind(monitor) });
  }
  return { monitors, errors };
}
