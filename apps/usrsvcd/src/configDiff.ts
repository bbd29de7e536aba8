/** Which programs a reread added, removed or changed, and which keys changed. */
export interface ConfigDiff {
  added: string[];
  removed: string[];
  changed: { name: string; keys: string[] }[];
}

/** Where a program was declared is not a setting; argv and the regex source follow from others. */
// `instances` (the count) is not a setting of one instance: 3 -> 2 leaves NAME@0 and NAME@1 as they are.
const IGNORED = new Set(['name', 'file', 'line', 'argv', 'proctitleReSource', 'instances']);

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

/**
 * Whether a removed program was an instance of a program the new configuration still has, with
 * fewer instances (3 -> 2 removes NAME@2) or none (NAME again): that copy is to be stopped,
 * where a program removed from the configuration is left running.
 */
export function isScaledDownInstance<P extends { name: string; instanceOf?: string | undefined }>(
  removed: P,
  after: ReadonlyMap<string, P>,
): boolean {
  const group = removed.instanceOf;
  if (group === undefined) return false;
  return after.has(group) || [...after.values()].some((program) => program.instanceOf === group);
}
