import type { ProgramView } from '@usrsvc/api';
import { returnCodeName } from '@usrsvc/launcher';
import { isRunningResult } from './isRunningResult.js';
import type { ProgramResult } from './programResult.js';

/** What `--json` prints for one program; every field is always present (null when unknown). */
export interface ResultJson {
  name: string;
  action: string;
  code: number;
  codeName: string;
  outcome: string;
  message: string;
  running: boolean;
  pid: number | null;
  cmdline: string | null;
  argv: string[] | null;
  executable: string | null;
  /** ISO 8601, UTC. */
  startTime: string | null;
  /** Null unless running, like rssKb; pid, cmdline... still name the process a stop ended. */
  uptimeSeconds: number | null;
  rssKb: number | null;
  stderrTail: string[];
  /** usrsvcd's view of the program (state, restarts, last exit, monitor verdicts); only present when usrsvcd runs. */
  usrsvcd?: ProgramView;
  /** Processes of the program's tree that outlived its main process ([] when none). */
  leftovers: { pid: number; cmdline: string }[];
  /** A start with a ready_check (how long it took, or the check's last result), a notify program's STATUS. */
  readiness?: ProgramResult['readiness'];
}

export function resultJson(result: ProgramResult, now = Date.now()): ResultJson {
  const process = result.process;
  const running = isRunningResult(result);
  return {
    name: result.name,
    action: result.action,
    code: result.code,
    codeName: returnCodeName(result.code),
    outcome: result.outcome,
    message: result.message,
    running,
    pid: process?.pid ?? null,
    cmdline: process?.cmdline ?? null,
    argv: process?.argv ?? null,
    executable: process?.executable ?? null,
    startTime: process ? new Date(process.startTime).toISOString() : null,
    uptimeSeconds: process && running ? Math.max(0, Math.round((now - process.startTime) / 1000)) : null,
    rssKb: running ? (process?.rssKb ?? null) : null,
    stderrTail: result.stderrTail ?? [],
    leftovers: result.leftovers ?? [],
    ...(result.readiness ? { readiness: result.readiness } : {}),
  };
}
