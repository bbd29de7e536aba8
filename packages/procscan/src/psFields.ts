import type { ProcessInfo } from './types.js';

/**
 * What the `ps`-based backends cannot provide exactly, by field: the contract tests skip exactly
 * these checks for them, and the README repeats the reasons.
 */
export const psBackendLimitations: Readonly<Partial<Record<keyof ProcessInfo, string>>> = {
  argv: 'ps prints the arguments joined by spaces: argv is that one string ([] for kernel threads and zombies)',
  startTicks: 'ps gives the start time to the second only: startTicks is whole seconds since the epoch, not clock ticks since boot',
  startTime: 'ps gives the start time to the second only (ms part is 0)',
  rssKb: 'ps-list gives memory as a percentage of RAM with one decimal: rssKb is estimated from it',
  state: "ps-list gives no state: '?' unless ps marks the process <defunct> ('Z')",
  pgid: 'ps-list gives no process group: pgid is undefined',
  sid: 'ps-list gives no session: sid is undefined',
  name: 'ps-list names a process after its executable file when it can read it, else comm',
};

/** ps's own rendering of a process with no argv: "[comm]" or "[comm] <defunct>". */
export function isBracketedName(cmd: string, name: string): boolean {
  return cmd === `[${name}]` || cmd === `[${name}] <defunct>`;
}

/** ps's lstart ("Tue Nov 24 05:22:48 2026", local time, LC_ALL=C) to ms since the epoch. */
export function parseLstart(lstart: string): number | undefined {
  const ms = new Date(lstart.trim().replace(/\s+/g, ' ')).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

export function startTicksFromEpochMs(startTime: number): number {
  return Math.floor(startTime / 1000);
}
