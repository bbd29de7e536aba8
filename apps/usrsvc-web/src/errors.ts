/** usrsvc-web will not listen where asked: a non-loopback address without TLS and --allow-remote. */
export class ListenRefusedError extends Error {
  readonly code = 'USRSVC_WEB_LISTEN_REFUSED' as const;
  constructor(
    readonly listen: string,
    readonly reason: string,
  ) {
    super(`refusing to listen on ${listen}: ${reason}`);
    this.name = 'ListenRefusedError';
  }
}

/** A token file exists but cannot be used (not ours, not a file, empty). */
export class TokenFileError extends Error {
  readonly code = 'USRSVC_WEB_TOKEN_FILE' as const;
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'TokenFileError';
  }
}
