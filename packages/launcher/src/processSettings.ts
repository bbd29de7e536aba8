import fs from 'node:fs';
import os from 'node:os';
import type { ResourceLimit, ResourceLimitValue, ResourceName } from '@usrsvc/config';
import { inheritedNofile } from './inheritedLimits.js';
import type { LauncherProgram } from './LauncherProgram.js';

export interface LimitSetting extends ResourceLimit {
  resource: ResourceName;
}

/** What the launch applies in the program's process before exec. */
export interface ProcessSettings {
  limits: LimitSetting[];
  umask?: number;
  /** The absolute nice value. */
  nice?: number;
}

type SettingsProgram = Partial<Pick<LauncherProgram, 'limits' | 'umask' | 'nice'>>;

let ownNofileHard: ResourceLimitValue | undefined | null = null;

function currentNofileHard(): ResourceLimitValue | undefined {
  if (ownNofileHard === null) {
    const match = /^Max open files\s+\S+\s+(\S+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    ownNofileHard = match ? (match[1] === 'unlimited' ? 'infinity' : Number(match[1])) : undefined;
  }
  return ownNofileHard;
}

const min = (a: ResourceLimitValue, b: ResourceLimitValue): ResourceLimitValue => (a === 'infinity' ? b : b === 'infinity' ? a : Math.min(a, b));

/**
 * The program's limit_* settings, umask and nice; and, without limit_nofile, the soft open-files
 * limit of the environment its run was started from (`base`, see captureInheritedLimits) instead
 * of the one Node raised for itself, capped at our hard limit (which we could not raise).
 */
export function processSettings(program: SettingsProgram, base: NodeJS.ProcessEnv): ProcessSettings {
  const limits: LimitSetting[] = Object.entries(program.limits ?? {}).map(([resource, limit]) => ({ resource: resource as ResourceName, ...limit }));
  const inherited = program.limits?.nofile ? undefined : inheritedNofile(base);
  if (inherited) {
    const ceiling = currentNofileHard();
    const hard = ceiling === undefined ? inherited.hard : min(inherited.hard, ceiling);
    limits.push({ resource: 'nofile', soft: min(inherited.soft, hard), hard });
  }
  const settings: ProcessSettings = { limits };
  if (program.umask !== undefined) settings.umask = program.umask;
  if (program.nice !== undefined) settings.nice = program.nice;
  return settings;
}

/** True when the settings change nothing (no wrapper or setrlimit is needed). */
export function isEmptySettings(settings: ProcessSettings | undefined): boolean {
  return !settings || (settings.limits.length === 0 && settings.umask === undefined && settings.nice === undefined);
}

/** The nice increment from ours that reaches `nice` (coreutils nice takes increments). */
export function niceIncrement(nice: number): number {
  return nice - os.getPriority();
}
