/** The resource limits a program key can set (`limit_nofile`...), by the name setrlimit(2) knows them by. */
export const RESOURCE_LIMIT_KEYS = {
  limit_nofile: 'nofile',
  limit_nproc: 'nproc',
  limit_core: 'core',
  limit_memlock: 'memlock',
  limit_as: 'as',
  limit_fsize: 'fsize',
  limit_stack: 'stack',
} as const;

export type ResourceLimitKey = keyof typeof RESOURCE_LIMIT_KEYS;
export type ResourceName = (typeof RESOURCE_LIMIT_KEYS)[ResourceLimitKey];
/** A count (nofile, nproc) or bytes (the others); 'infinity' is RLIM_INFINITY. */
export type ResourceLimitValue = number | 'infinity';
export interface ResourceLimit {
  soft: ResourceLimitValue;
  hard: ResourceLimitValue;
}
export type ResourceLimits = Partial<Record<ResourceName, ResourceLimit>>;

const BYTE_RESOURCES: ReadonlySet<ResourceName> = new Set(['core', 'memlock', 'as', 'fsize', 'stack']);
const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * `SOFT[:HARD]` or `infinity`, as systemd's LimitNOFILE=: one value sets both limits. Byte limits
 * (core, memlock, as, fsize, stack) take K, M, G or T (powers of 1024). Returns the limit or a problem.
 */
export function parseResourceLimit(resource: ResourceName, text: string): ResourceLimit | string {
  const parts = text.trim().split(':');
  if (parts.length > 2) return `${JSON.stringify(text)} has more than one ":"`;
  const values: ResourceLimitValue[] = [];
  for (const part of parts) {
    const value = parseLimitValue(resource, part.trim());
    if (value === undefined) {
      const units = BYTE_RESOURCES.has(resource) ? ' (bytes, or with K, M, G, T)' : '';
      return `${JSON.stringify(part.trim())} is not a number${units} or "infinity"`;
    }
    values.push(value);
  }
  const soft = values[0]!;
  const hard = values[1] ?? soft;
  if (hard !== 'infinity' && (soft === 'infinity' || soft > hard)) return `the soft limit ${soft} is above the hard limit ${hard}`;
  return { soft, hard };
}

function parseLimitValue(resource: ResourceName, text: string): ResourceLimitValue | undefined {
  const lower = text.toLowerCase();
  if (lower === 'infinity' || lower === 'unlimited') return 'infinity';
  const match = BYTE_RESOURCES.has(resource) ? /^(\d+)([KMGT]?)$/i.exec(text) : /^(\d+)()$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * UNITS[match[2]!.toUpperCase()]!;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** "1024:4096", "infinity": how a limit is written back (logs, the API). */
export function formatResourceLimit(limit: ResourceLimit): string {
  return limit.soft === limit.hard ? String(limit.soft) : `${limit.soft}:${limit.hard}`;
}
