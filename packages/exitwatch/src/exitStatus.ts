import fs from 'node:fs';
import os from 'node:os';
import type { ProcessIdentity } from './types.js';

/** How a process ended: exactly one of exitCode and signal is set. */
export interface ExitStatus {
  exitCode: number | null;
  /** Signal name ("SIGKILL"). */
  signal: string | null;
}

const SIGNAL_NAMES = new Map<number, string>(Object.entries(os.constants.signals).map(([name, number]) => [number, name]));

/**
 * The exit status of a process we are not the parent of, read from its zombie's /proc/PID/stat
 * (field 52, exit_code, in waitpid format). Readable from the moment pidfd reports the exit until
 * the parent (init, a subreaper) reaps it; undefined once reaped, or when the pid names another
 * process (start time differs) or a living one.
 */
export function readExitStatus(identity: ProcessIdentity): ExitStatus | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${identity.pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  return parseExitStatus(text, identity.startTicks);
}

/** Parses /proc/PID/stat of a zombie; exported for tests. */
export function parseExitStatus(statText: string, startTicks: number): ExitStatus | undefined {
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  // After ") ": field 3 (state) is index 0, so field N is index N - 3.
  const fields = statText.slice(close + 2).trim().split(' ');
  if (fields[0] !== 'Z' || Number(fields[19]) !== startTicks || fields.length < 50) return undefined;
  const raw = Number(fields[49]);
  if (!Number.isInteger(raw)) return undefined;
  const signal = raw & 0x7f;
  if (signal !== 0) return { exitCode: null, signal: SIGNAL_NAMES.get(signal) ?? `SIG${signal}` };
  return { exitCode: (raw >> 8) & 0xff, signal: null };
}
