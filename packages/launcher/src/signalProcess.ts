import { type ProcessIdentity, readProcess } from '@usrsvc/procscan';
import { isLiveMatch } from './runningProcess.js';

export type SignalOutcome = 'sent' | 'gone' | 'not-permitted';

/**
 * Sends `signal` only if `target` is still the same process (PID and start time), still ours and
 * still matches proctitle_re: checked right before the kill, so a reused PID is never signalled.
 */
export function signalIfSame(target: ProcessIdentity, re: RegExp, uid: number, signal: NodeJS.Signals): SignalOutcome {
  const now = readProcess(target.pid);
  if (!now || now.startTicks !== target.startTicks || !isLiveMatch(now, re, uid)) return 'gone';
  try {
    process.kill(target.pid, signal);
    return 'sent';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? 'not-permitted' : 'gone';
  }
}
