import type { ProgramView } from '@usrsvc/api';
import { ProcessStates, processState, processStateName } from './processStates.js';

/** supervisord's getProcessInfo struct. */
export interface ProcessInfo {
  [key: string]: string | number;
  name: string;
  group: string;
  start: number;
  stop: number;
  now: number;
  state: number;
  statename: string;
  spawnerr: string;
  exitstatus: number;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
  pid: number;
  description: string;
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * The group of a program: its name; for instance NAME@k of a program with `instances = N`, NAME
 * (as supervisord groups the processes of numprocs), so that supervisorctl shows NAME:NAME@k
 * and `supervisorctl start NAME:*` starts every instance. Program names cannot contain "@".
 */
export function groupOf(programName: string): string {
  const match = /^([^@]+)@\d+$/.exec(programName);
  return match ? match[1]! : programName;
}

/** What failed, as supervisord's spawnerr: set in BACKOFF and FATAL, empty otherwise. */
function spawnError(view: ProgramView): string {
  const { state, lastExit } = view;
  if (state.state === 'gave-up') {
    return `gave up after ${state.afterRestarts} start attempt${state.afterRestarts === 1 ? '' : 's'} (maxrestarts)${lastExit?.cause.by === 'start-failed' ? `: ${lastExit.cause.outcome}` : ''}`;
  }
  if (state.state === 'backoff') {
    if (lastExit?.cause.by === 'start-failed') return `start failed (${lastExit.cause.outcome}); attempt ${state.attempt + 1} at ${state.nextAttemptAt}`;
    return `exited; restart attempt ${state.attempt + 1} at ${state.nextAttemptAt}`;
  }
  return '';
}

/** Python's str(timedelta) of whole seconds: "1:02:03", "2 days, 0:00:05". */
export function formatUptime(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const hms = `${Math.floor(rest / 3600)}:${String(Math.floor((rest % 3600) / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${hms}` : hms;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** strftime('%b %d %I:%M %p') of local time, as supervisord shows when a process stopped. */
export function formatStopTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${two(d.getDate())} ${two(hour12)}:${two(d.getMinutes())} ${d.getHours() < 12 ? 'AM' : 'PM'}`;
}

/** supervisord's description (rpcinterface._interpretProcessInfo). */
export function describeProcess(info: Pick<ProcessInfo, 'state' | 'start' | 'stop' | 'now' | 'pid' | 'spawnerr' | 'name'>): string {
  switch (info.state) {
    case ProcessStates.RUNNING:
      return `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
    case ProcessStates.FATAL:
    case ProcessStates.BACKOFF:
      return info.spawnerr || `unknown error (try "tail ${info.name}")`;
    case ProcessStates.STOPPED:
    case ProcessStates.EXITED:
      return info.start ? formatStopTime(info.stop) : 'Not started';
    default:
      return '';
  }
}

/** One program as supervisord's getProcessInfo reports a process. */
export function processInfo(view: ProgramView, nowMs = Date.now()): ProcessInfo {
  const state = processState(view);
  const { lastExit } = view;
  const pid = view.process?.pid ?? (view.state.state === 'starting' ? (view.state.pid ?? 0) : 0);
  let start = 0;
  if (view.process) start = seconds(view.process.startTime);
  else if (view.state.state === 'starting') start = seconds(view.state.since);
  else if (lastExit) start = lastExit.upMs !== null ? Math.floor((Date.parse(lastExit.at) - lastExit.upMs) / 1000) : seconds(lastExit.at);
  const stop = lastExit ? seconds(lastExit.at) : 0;
  const now = Math.floor(nowMs / 1000);
  const spawnerr = spawnError(view);
  const info: ProcessInfo = {
    name: view.name,
    group: groupOf(view.name),
    start,
    stop,
    now,
    state,
    statename: processStateName(state),
    spawnerr,
    exitstatus: lastExit?.exitCode ?? 0,
    logfile: view.stdout,
    stdout_logfile: view.stdout,
    stderr_logfile: view.stderr,
    pid,
    description: '',
  };
  info.description = describeProcess(info);
  return info;
}
