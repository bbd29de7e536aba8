import type { MonitorPlugin } from './MonitorPlugin.js';
import { MonitorPluginError } from './MonitorPluginError.js';

const KEY_TYPES = new Set(['string', 'boolean', 'integer', 'number', 'path', 'list']);
const NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_RE = /^[a-z][a-z0-9_]*$/;

/**
 * Checks that `value` is a MonitorPlugin: a lowercase `name`, a `keys` object of KeySpecs with
 * lowercase snake_case key names, and a `create` function. Returns it typed, or throws
 * MonitorPluginError (reason 'malformed') naming `source` (the spec it was loaded from).
 */
export function validateMonitorPlugin(value: unknown, source: string): MonitorPlugin {
  const fail = (detail: string): never => {
    throw new MonitorPluginError(source, 'malformed', detail);
  };
  if (typeof value !== 'object' || value === null) fail(`expected a MonitorPlugin object, got ${kind(value)}`);
  const plugin = value as Record<string, unknown>;
  if (typeof plugin.name !== 'string' || !NAME_RE.test(plugin.name)) {
    fail(`name must be a lowercase string of letters, digits, ".", "_" or "-" (got ${kind(plugin.name)})`);
  }
  if (typeof plugin.create !== 'function') fail(`plugin ${plugin.name} has no create(program) function`);
  if (typeof plugin.keys !== 'object' || plugin.keys === null || Array.isArray(plugin.keys)) {
    fail(`plugin ${plugin.name}: keys must be an object of KeySpecs (got ${kind(plugin.keys)})`);
  }
  for (const [key, spec] of Object.entries(plugin.keys as Record<string, unknown>)) {
    if (!KEY_RE.test(key)) fail(`plugin ${plugin.name}: key ${JSON.stringify(key)} must be lowercase snake_case`);
    if (typeof spec !== 'object' || spec === null) fail(`plugin ${plugin.name}: key ${key} has no KeySpec`);
    const { type, validate } = spec as { type?: unknown; validate?: unknown };
    if (typeof type !== 'string' || !KEY_TYPES.has(type)) {
      fail(`plugin ${plugin.name}: key ${key} has type ${kind(type)}; expected one of ${[...KEY_TYPES].join(', ')}`);
    }
    if (validate !== undefined && typeof validate !== 'function') fail(`plugin ${plugin.name}: key ${key}: validate must be a function`);
  }
  return value as MonitorPlugin;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
