import { type ProcessIdentity, type ProcessInfo, readProcess } from '@usrsvc/procscan';
import { mayBelong } from './programTree.js';
import { isLiveMatch } from './runningProcess.js';

export type SignalOutcome = 'sent' | 'gone' | 'not-permitted';

/**
 * Sends `signal` only if `target` is still the same process (PID and start time), still ours and
 * still matches proctitle_re: checked right before the kill, so a reused PID is never signalled.
 */
export function signalIfSame(target: ProcessIdentity, re: RegExp, uid: number, signal: NodeJS.Signals): SignalOutcome {
  return signalChecked(target, signal, (now) => isLiveMatch(now, re, uid));
}

/**
 * Sends `signal` to a process of a program's tree only if it is still the same process (PID and
 * start time, read right before the kill), still ours, and neither init nor this process.
 */
export function signalMember(target: ProcessIdentity, uid: number, signal: NodeJS.Signals): SignalOutcome {
  return signalChecked(target, signal, (now) => mayBelong(now, uid));
}

function signalChecked(target: ProcessIdentity, signal: NodeJS.Signals, accept: (now: ProcessInfo) => boolean): SignalOutcome {
  const now = readProcess(target.pid);
  if (!now || now.startTicks !== target.startTicks || !accept(now)) return 'gone';
  try {
    process.kill(target.pid, signal);
    return 'sent';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'not-permitted' : 'gone';
  }
}
