import type { ConfigProblems } from './ConfigProblems.js';
import { didYouMeanHint } from './didYouMean.js';
import type { KeySpec } from './KeySpec.js';
import type { ConfigEntry } from './parseConfigobj.js';
import { parseKeyValue } from './parseKeyValue.js';

export interface SettingsOptions {
  /** Called for keys not in specs; return true when it handled the key, false to report it as unknown. */
  onUnknownKey?(entry: ConfigEntry): boolean;
}

/** Parses entries by their KeySpecs; reports unknown keys (with a "did you mean" hint) and bad values. */
export function parseSettings(
  entries: Iterable<ConfigEntry>,
  specs: Record<string, KeySpec>,
  problems: ConfigProblems,
  options: SettingsOptions = {},
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const entry of entries) {
    const spec = Object.hasOwn(specs, entry.key) ? specs[entry.key] : undefined;
    if (!spec) {
      if (options.onUnknownKey?.(entry)) continue;
      const hint = didYouMeanHint(entry.key, Object.keys(specs));
      problems.entryError(entry, 'unknown key', hint ?? `valid keys: ${Object.keys(specs).join(', ')}`);
      continue;
    }
    // As in the original ("if not value"), an empty text, path or list means unset.
    if (entry.value === '' && spec.type !== 'boolean' && spec.type !== 'integer' && spec.type !== 'number') continue;
    const parsed = parseKeyValue(spec, entry.value);
    if (parsed.ok) values.set(entry.key, parsed.value);
    else problems.entryError(entry, parsed.error, parsed.hint);
  }
  return values;
}

/** Each spec's key and default, listed once per specs object (withDefaults runs for every program). */
const defaultsOf = new WeakMap<Record<string, KeySpec>, [string, unknown][]>();

/** Every key's value: the parsed one, else the spec's default (keys with neither are left out). */
export function withDefaults(specs: Record<string, KeySpec>, values: Map<string, unknown>): Record<string, unknown> {
  let defaults = defaultsOf.get(specs);
  if (!defaults) {
    defaults = Object.entries(specs).map(([key, spec]) => [key, spec.default]);
    defaultsOf.set(specs, defaults);
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of defaults) {
    if (values.has(key)) result[key] = values.get(key);
    else if (value !== undefined) result[key] = copyOf(value);
  }
  for (const [key, value] of values) if (!(key in result)) result[key] = value;
  return result;
}

/** A default the caller may change: lists (every object default) copied, cheaper than structuredClone. */
function copyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) && value.every((item) => typeof item !== 'object') ? [...value] : structuredClone(value);
}
