import { activityFileMonitorPlugin } from './activityFileMonitor.js';
import type { MonitorPlugin } from './MonitorPlugin.js';
import { rssLimitMonitorPlugin } from './rssLimitMonitor.js';

/**
 * The built-in monitors, in the original's order: activity file, then RSS limit. `monitor_after`
 * belongs to no plugin: it gates all monitors of a program (see isMonitoringDue).
 */
export const builtinMonitorPlugins: readonly MonitorPlugin[] = Object.freeze([activityFileMonitorPlugin, rssLimitMonitorPlugin]);
