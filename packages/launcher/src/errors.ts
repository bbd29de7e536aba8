/** The program's lock stayed busy: the CLI exits with TRY_AGAIN (11). */
export class LockTimeoutError extends Error {
  readonly code = 'USRSVC_LOCK_TIMEOUT';
  constructor(
    readonly program: string,
    readonly lockPath: string,
    readonly timeoutMs: number,
    readonly ownerPid?: number,
  ) {
    super(
      `could not lock ${program} within ${timeoutMs / 1000} s (${lockPath}` +
        (ownerPid === undefined ? ')' : `, held by pid ${ownerPid})`) +
        '; another usrsvc or usrsvcd is acting on it, try again',
    );
    this.name = 'LockTimeoutError';
  }
}

/** The state folder exists but is not ours alone (wrong owner, a symlink, or not a folder). */
export class UnsafeStateDirError extends Error {
  readonly code = 'USRSVC_UNSAFE_STATE_DIR';
  constructor(
    readonly dir: string,
    readonly detail: string,
  ) {
    super(`unsafe state folder ${dir}: ${detail}`);
    this.name = 'UnsafeStateDirError';
  }
}
