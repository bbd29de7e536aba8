import { readConfig, type ProgramConfig } from '@usrsvc/config';
import type { LaunchContext } from '@usrsvc/launcher';
import type { DaemonHarness } from './daemonHarness.js';

/** The program as usrsvc reads it from the harness's config, and a launcher context for that HOME. */
export function programOf(h: DaemonHarness, name: string): { program: ProgramConfig; ctx: LaunchContext } {
  const env = h.env();
  const program = readConfig({ env }).programs.get(name);
  if (!program) throw new Error(`no program ${name} in the test config`);
  return { program, ctx: { env } };
}

/** Seconds since the epoch of a log line's ctime stamp (second precision). */
export function stampOf(line: string): number {
  const match = /^\[([^\]]+)\]/.exec(line);
  if (!match) throw new Error(`no timestamp in ${line}`);
  return Date.parse(match[1]!.replace(/\s+/g, ' ')) / 1000;
}
