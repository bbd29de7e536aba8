import type { ProgramConfig } from '@usrsvc/config';

/** A ProgramConfig with the given [[Monitoring]] settings over the built-in defaults (for unit tests). */
export function programWith(monitoring: Record<string, unknown>, name = 'demo'): ProgramConfig {
  return {
    name,
    file: '/dev/null',
    line: 1,
    monitoring: { monitor_after: 30, activityfile_limit: 120, rss_limit: 0, ...monitoring },
  } as unknown as ProgramConfig;
}
