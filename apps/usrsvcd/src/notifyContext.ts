import { nativeNotifySocket, notifySocketUnavailable } from '@usrsvc/exitwatch';
import type { LaunchContext, NotifyListener } from '@usrsvc/launcher';

/**
 * The launch context's sd_notify part for usrsvcd: native sockets, and the socket of every notify
 * program it started kept in `listeners` (the watchdog monitor reads its pings; STATUS stays
 * current). A newer start's socket replaces (and closes) the older one.
 */
export function notifyContext(listeners: Map<string, NotifyListener>): Pick<LaunchContext, 'notifySocket' | 'notifyUnavailable' | 'keepNotify'> {
  const notifySocket = nativeNotifySocket();
  if (!notifySocket) return { notifyUnavailable: notifySocketUnavailable() ?? 'not available' };
  return {
    notifySocket,
    keepNotify(name, listener) {
      const previous = listeners.get(name);
      listeners.set(name, listener);
      if (previous && previous !== listener) previous.close();
    },
  };
}
