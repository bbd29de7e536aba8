/** usrsvcd answered with an error status; `code` is the API's own error code. */
export class ApiError extends Error {
  readonly code: string;
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly path: string,
  ) {
    super(`${path}: ${status} ${message}`);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Nothing listens on the socket: usrsvcd is not running (or runs for another state folder). */
export class DaemonUnavailableError extends Error {
  readonly code = 'USRSVC_DAEMON_UNAVAILABLE';
  constructor(
    readonly socket: string,
    readonly detail: string,
  ) {
    super(`usrsvcd is not running (no API on ${socket}: ${detail})`);
    this.name = 'DaemonUnavailableError';
  }
}
