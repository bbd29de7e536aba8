/** Thrown by `watchExit` for arguments it cannot watch (a programming error, not a process state). */
export class ExitWatchError extends Error {
  readonly code = 'USRSVC_EXITWATCH_INVALID_ARGUMENT';
  readonly pid: unknown;

  constructor(message: string, pid: unknown) {
    super(message);
    this.name = 'ExitWatchError';
    this.pid = pid;
  }
}
