/** Which programs a reread added, removed or changed, and which keys changed. */
export interface ConfigDiff {
  added: string[];
  removed: string[];
  changed: { name: string; keys: string[] }[];
}

/** Where a program was declared is not a setting; argv and the regex source follow from others. */
const IGNORED = new Set(['name', 'file', 'line', 'argv', 'proctitleReSource']);

const toConfigKey = (property: string) =>
  property === 'env' ? 'Env' : property === 'monitoring' ? 'Monitoring' : property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function comparable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v)) ?? 'undefined';
}

/** Property names (as config keys: restart_delay, Env, ...) whose values differ. */
export function changedKeys(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !IGNORED.has(k) && comparable(a[k]) !== comparable(b[k])).map(toConfigKey);
}

export function diffPrograms<P extends object>(before: ReadonlyMap<string, P>, after: ReadonlyMap<string, P>): ConfigDiff {
  const diff: ConfigDiff = { added: [], removed: [], changed: [] };
  for (const [name, program] of after) {
    const old = before.get(name);
    if (!old) diff.added.push(name);
    else {
      const keys = changedKeys(old, program);
      if (keys.length > 0) diff.changed.push({ name, keys });
    }
  }
  for (const name of before.keys()) if (!after.has(name)) diff.removed.push(name);
  return diff;
}

/** One line for the log, e.g. "added: api; removed: none; changed: web (command, restart_delay)". */
export function describeDiff(diff: ConfigDiff): string {
  const list = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');
  const changed = diff.changed.map((c) => `${c.name} (${c.keys.join(', ')})`);
  return `added: ${list(diff.added)}; removed: ${list(diff.removed)}; changed: ${list(changed)}`;
}
