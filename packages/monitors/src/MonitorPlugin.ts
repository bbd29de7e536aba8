import type { KeySpec, ProgramConfig } from '@usrsvc/config';
import type { ProcessInfo } from '@usrsvc/procscan';

export type { KeySpec, ProgramConfig, ProcessInfo };

/** What a monitor answers: the program is fine, or it must be restarted and why (one line, for people). */
export type MonitorVerdict = { restart: false } | { restart: true; reason: string };

/** What a check receives. */
export interface MonitorCheckContext {
  /** The running process of the program (from this pass's process-table scan). */
  process: ProcessInfo;
  /**
   * Aborted when the check has run out of time (`[Main] monitor_timeout`) or the daemon stops.
   * Pass it to whatever can be cancelled (`fetch`, timers, child processes); once it is aborted,
   * the answer is ignored.
   */
  signal: AbortSignal;
  /** The time of this check, ms since the epoch: compare against it, not against Date.now(). */
  now: number;
}

/** One program's check of one kind. Created once per program and kept across checks, so it may keep state. */
export interface Monitor {
  /** The plugin's name, used in logs and restart reasons. */
  name: string;
  /**
   * True for a monitor that is armed by the program itself (the watchdog, from READY=1), so
   * `monitor_after` does not delay it: a program that hangs in its first minute is still caught.
   */
  armedByProgram?: boolean;
  check(context: MonitorCheckContext): Promise<MonitorVerdict> | MonitorVerdict;
}

/**
 * What a monitor package exports (as its default export; see loadMonitorPlugins).
 * The built-in monitors are plugins of the same shape.
 */
export interface MonitorPlugin {
  /** Unique among the loaded plugins: lowercase letters, digits, `-`, `_` and `.`, e.g. "http". */
  name: string;
  /** The `[[Monitoring]]` keys this plugin owns; usrsvc's config reader parses and validates them. */
  keys: Record<string, KeySpec>;
  /**
   * Returns this program's monitor, or undefined when the program does not set the plugin's keys.
   * Read settings from `program.monitoring[key]` (parsed by the config reader, defaults applied).
   */
  create(program: ProgramConfig): Monitor | undefined;
}
