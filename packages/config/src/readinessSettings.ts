import type { ConfigProblems } from './ConfigProblems.js';
import type { ConfigEntry } from './parseConfigobj.js';
import { DEFAULT_READY_STATUS, parseReadyCheck, parseStatusRanges } from './readyCheck.js';
import type { ProgramConfig } from './types.js';

type Readiness = Pick<
  ProgramConfig,
  'readyCheck' | 'readyCheckStatus' | 'readyCheckInterval' | 'readyCheckTimeout' | 'readyTimeout' | 'watchdogSeconds' | 'dependsOn' | 'dependsOnAt'
>;

/** The readiness keys of one program (already parsed one by one), checked against each other. */
export function readinessSettings(values: Record<string, unknown>, entries: Map<string, ConfigEntry>, problems: ConfigProblems): Readiness {
  const text = values['ready_check'] as string | undefined;
  let readyCheck: Readiness['readyCheck'];
  try {
    readyCheck = text === undefined ? undefined : parseReadyCheck(text);
  } catch {
    // reported by the key's own check
  }
  const statusText = values['ready_check_status'] as string | undefined;
  let readyCheckStatus = DEFAULT_READY_STATUS;
  if (statusText !== undefined) {
    try {
      readyCheckStatus = parseStatusRanges(statusText);
    } catch {
      // reported by the key's own check
    }
    if (readyCheck && readyCheck.kind !== 'http') {
      problems.entryError(entries.get('ready_check_status')!, 'applies to http:// and https:// ready checks only', `ready_check is ${readyCheck.text}`);
    }
  }
  const watchdogSeconds = values['watchdog_seconds'] as number;
  if (watchdogSeconds > 0 && readyCheck?.kind !== 'notify') {
    problems.entryError(entries.get('watchdog_seconds')!, 'needs ready_check = notify (the program pings with WATCHDOG=1)', 'add ready_check = notify');
  }
  const dependsOn = [...new Set(values['depends_on'] as string[])];
  const dependsOnEntry = entries.get('depends_on');
  return {
    ...(readyCheck ? { readyCheck } : {}),
    readyCheckStatus,
    readyCheckInterval: values['ready_check_interval'] as number,
    readyCheckTimeout: values['ready_check_timeout'] as number,
    readyTimeout: values['ready_timeout'] as number,
    watchdogSeconds,
    dependsOn,
    ...(dependsOnEntry ? { dependsOnAt: { file: dependsOnEntry.file, line: dependsOnEntry.line } } : {}),
  };
}
