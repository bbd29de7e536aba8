import { describe, expect, it } from 'vitest';
import { builtinMonitorPlugins } from './builtinMonitorPlugins.js';
import type { MonitorPlugin } from './MonitorPlugin.js';
import { MonitorKeyConflictError } from './MonitorPluginError.js';
import { monitoringKeysOf } from './monitoringKeysOf.js';

const plugin = (name: string, ...keys: string[]): MonitorPlugin => ({
  name,
  keys: Object.fromEntries(keys.map((key) => [key, { type: 'string' as const }])),
  create: () => undefined,
});

describe('monitoringKeysOf', () => {
  it('merges the keys of third-party plugins and leaves the built-in keys to the config reader', () => {
    const keys = monitoringKeysOf([...builtinMonitorPlugins, plugin('a', 'a_url', 'a_limit'), plugin('b', 'b_x')]);
    expect(Object.keys(keys).sort()).toEqual(['a_limit', 'a_url', 'b_x']);
    expect(monitoringKeysOf(builtinMonitorPlugins)).toEqual({});
  });

  it('rejects two plugins that claim the same key, naming both', () => {
    expect(() => monitoringKeysOf([plugin('a', 'url'), plugin('b', 'url')])).toThrow(MonitorKeyConflictError);
    try {
      monitoringKeysOf([plugin('a', 'url'), plugin('b', 'url')]);
    } catch (error) {
      expect(error).toMatchObject({ key: 'url', plugins: ['a', 'b'], plugin: 'b', reason: 'key-conflict' });
      expect((error as Error).message).toBe('monitor plugin "b": claims the [[Monitoring]] key "url", already owned by "a"');
    }
  });

  it('rejects a plugin that claims a built-in key, monitor_after included', () => {
    expect(() => monitoringKeysOf([...builtinMonitorPlugins, plugin('x', 'activityfile')])).toThrow(/already owned by "activityfile"/);
    expect(() => monitoringKeysOf([plugin('x', 'monitor_after')])).toThrow(/already owned by "usrsvc \(built-in\)"/);
  });
});
