import type { ReadyCheck } from '@usrsvc/config';
import type { NotifyListener } from './NotifyListener.js';
import type { ReadyProbe } from './readyProbes.js';

export type ReadyWait =
  | { kind: 'ready'; afterMs: number }
  | { kind: 'not-ready'; last: string }
  /** The program's main process died while we waited. */
  | { kind: 'died' };

export interface ReadyWaitOptions {
  check: ReadyCheck;
  /** For tcp, http, exec and log; unused by notify (which waits for datagrams). */
  probe?: ReadyProbe;
  notify?: NotifyListener;
  startedAtMs: number;
  intervalMs: number;
  timeoutMs: number;
  /** Whether the program still runs (checked between attempts). */
  alive(): boolean;
  /** Called with each failed attempt's detail, for a "starting (waiting for ...)" state. */
  onAttempt?(detail: string): void;
}

const ALIVE_CHECK_MS = 250;

/** Waits until the ready check passes, the program dies, or ready_timeout passes since the launch. */
export async function awaitReady(options: ReadyWaitOptions): Promise<ReadyWait> {
  const deadline = options.startedAtMs + options.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    if (options.check.kind === 'notify') {
      const notify = options.notify!;
      if (notify.state.ready) return { kind: 'ready', afterMs: Date.now() - options.startedAtMs };
      last = notify.state.status ? `no READY=1 yet (STATUS=${notify.state.status})` : 'no READY=1 yet';
    } else {
      const result = await options.probe!();
      if (result.ok) return { kind: 'ready', afterMs: Date.now() - options.startedAtMs };
      last = result.detail;
    }
    options.onAttempt?.(last);
    if (!options.alive()) return { kind: 'died' };
    const left = deadline - Date.now();
    if (left <= 0) return { kind: 'not-ready', last };
    if (options.check.kind === 'notify') {
      await Promise.race([options.notify!.nextMessage(), sleep(Math.min(left, ALIVE_CHECK_MS))]);
    } else {
      await sleep(Math.min(left, options.intervalMs));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
