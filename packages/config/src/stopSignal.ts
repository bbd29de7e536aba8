/** The signals `stop_signal` accepts: the first signal of a stop. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

export type StopSignal = (typeof STOP_SIGNALS)[number];

/** "TERM", "sigterm", "SIGTERM"... as a StopSignal; undefined for anything else. */
export function parseStopSignal(text: string): StopSignal | undefined {
  const upper = text.trim().toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return (STOP_SIGNALS as readonly string[]).includes(name) ? (name as StopSignal) : undefined;
}

/** For error messages: "TERM, INT, QUIT, HUP, USR1, USR2 or KILL". */
export function describeStopSignals(): string {
  const names = STOP_SIGNALS.map((signal) => signal.slice(3));
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
