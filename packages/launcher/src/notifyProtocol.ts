import type { NotifyDatagram, NotifySocket, NotifySocketFactory } from '@usrsvc/exitwatch';

/** The socket's types are @usrsvc/exitwatch's (whose nativeNotifySocket() is the factory usrsvc uses). */
export type { NotifyDatagram, NotifySocket, NotifySocketFactory };

/** Datagrams larger than this are dropped (the limit; systemd's is larger). */
export const NOTIFY_MAX_BYTES = 4096;

/** What the program said through sd_notify, as far as usrsvc uses it. */
export interface NotifyState {
  ready: boolean;
  status?: string;
  stopping: boolean;
  reloading: boolean;
  mainPid?: number;
  /** Date.now() of the last WATCHDOG=1 (or of READY=1 when none came yet). */
  lastWatchdogMs?: number;
  /** Datagrams dropped: too large, without credentials, or from outside the program. */
  dropped: number;
}

/** Applies one datagram's "KEY=VALUE" lines; returns the keys it changed that are worth keeping. */
export function applyNotifyMessage(state: NotifyState, text: string, nowMs: number): string[] {
  const changed: string[] = [];
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals);
    const value = line.slice(equals + 1);
    switch (key) {
      case 'READY':
        if (value === '1') {
          if (!state.ready) changed.push(key);
          state.ready = true;
          state.reloading = false;
          state.lastWatchdogMs ??= nowMs;
        }
        break;
      case 'STATUS':
        if (state.status !== value) changed.push(key);
        state.status = value;
        break;
      case 'STOPPING':
        if (value === '1' && !state.stopping) changed.push(key);
        state.stopping ||= value === '1';
        break;
      case 'RELOADING':
        if (value === '1' && !state.reloading) changed.push(key);
        if (value === '1') state.reloading = true;
        break;
      case 'MAINPID': {
        const pid = Number(value);
        if (Number.isInteger(pid) && pid > 0 && pid !== state.mainPid) {
          state.mainPid = pid;
          changed.push(key);
        }
        break;
      }
      case 'WATCHDOG':
        if (value === '1') state.lastWatchdogMs = nowMs;
        break;
      default:
        break;
    }
  }
  return changed;
}
