/** Pure decisions about restarting one program: spacing, backoff, limit. Times in ms. */

export interface RestartPolicy {
  /** maxrestarts: 0 = unlimited. */
  maxRestarts: number;
  /** restart_delay: minimum time between one start attempt and the next. */
  restartDelayMs: number;
  /** restart_delay_max: when larger than restartDelayMs, consecutive delays double up to it. */
  restartDelayMaxMs: number;
}

/** What a program's supervisor remembers between attempts. */
export interface RestartHistory {
  /** Starts made since the program was last up for a sustained period. */
  attempts: number;
  /** When the last start attempt began, if any. */
  lastAttemptAt?: number | undefined;
}

/** A program that has stayed up this long is healthy: its attempt count and backoff start over. */
export const SUSTAINED_UP_MS = 60_000;

/** When doubling from a restart_delay of 0, the first backed-off delay. */
export const BACKOFF_BASE_MS = 1_000;

/**
 * Never two attempts within this gap: a program that fails at once with restart_delay=0 must not
 * make the daemon spin (the original's 2 s pass did this implicitly). A crash of a program that ran
 * longer than this is still restarted at once.
 */
export const MIN_ATTEMPT_GAP_MS = 1_000;

export type RestartDecision =
  | { action: 'start'; attempt: number; delayMs: number }
  | { action: 'wait'; attempt: number; delayMs: number; startAt: number }
  | { action: 'give-up'; attempts: number };

export function policyFromProgram(program: {
  maxRestarts: number;
  restartDelay: number;
  restartDelayMax?: number;
}): RestartPolicy {
  return {
    maxRestarts: Math.max(0, program.maxRestarts),
    restartDelayMs: Math.max(0, program.restartDelay) * 1000,
    restartDelayMaxMs: Math.max(0, program.restartDelayMax ?? 0) * 1000,
  };
}

/** The minimum gap between the previous attempt and the next, given the attempts made so far. */
export function delayBeforeAttempt(policy: RestartPolicy, attemptsSoFar: number): number {
  const gap = configuredDelay(policy, attemptsSoFar);
  return attemptsSoFar >= 1 ? Math.max(gap, MIN_ATTEMPT_GAP_MS) : gap;
}

function configuredDelay(policy: RestartPolicy, attemptsSoFar: number): number {
  const { restartDelayMs: base, restartDelayMaxMs: max } = policy;
  if (max <= base || attemptsSoFar <= 1) return base;
  // Gaps double from the base delay (base, 2*base, 4*base...); from a base of 0 they go 0, 1 s, 2 s...
  const doubled = base > 0 ? base * 2 ** Math.min(attemptsSoFar - 1, 30) : BACKOFF_BASE_MS * 2 ** Math.min(attemptsSoFar - 2, 30);
  return Math.min(max, doubled);
}

/** Decides whether the next attempt starts now, later, or never (maxrestarts reached). */
export function decideRestart(policy: RestartPolicy, history: RestartHistory, now: number): RestartDecision {
  if (policy.maxRestarts > 0 && history.attempts >= policy.maxRestarts) {
    return { action: 'give-up', attempts: history.attempts };
  }
  const attempt = history.attempts + 1;
  const delayMs = delayBeforeAttempt(policy, history.attempts);
  if (history.lastAttemptAt === undefined) return { action: 'start', attempt, delayMs: 0 };
  const startAt = history.lastAttemptAt + delayMs;
  if (startAt <= now) return { action: 'start', attempt, delayMs };
  return { action: 'wait', attempt, delayMs, startAt };
}

/** True when a process that started at `startedAt` has been up long enough to count as healthy. */
export function wasSustained(startedAt: number | undefined, now: number): boolean {
  return startedAt !== undefined && now - startedAt >= SUSTAINED_UP_MS;
}

/** How a process ended, as read from its zombie (see @usrsvc/exitwatch's readExitStatus). */
export interface EndedHow {
  exitCode: number | null;
  signal: string | null;
}

/**
 * autorestart = unexpected: an exit with a code in exit_codes, or by a signal usrsvc sent it
 * (`usrsvc signal`, `usrsvc reload`), is expected and not restarted; any other end is. Undefined
 * `status` (the exit was not seen) counts as unexpected. Always false with autorestart = True.
 */
export function isExpectedExit(
  program: { restartOnlyUnexpected?: boolean; exitCodes?: readonly number[] },
  status: EndedHow | undefined,
  sentSignal: string | undefined,
): boolean {
  if (!program.restartOnlyUnexpected || !status) return false;
  if (status.signal) return status.signal === sentSignal;
  return status.exitCode !== null && (program.exitCodes ?? [0]).includes(status.exitCode);
}

/** "code 0", "signal SIGTERM (sent by usrsvc)": how an expected exit is shown. */
export function describeExpectedExit(status: EndedHow): string {
  return status.signal ? `signal ${status.signal} sent by usrsvc` : `code ${status.exitCode}`;
}
