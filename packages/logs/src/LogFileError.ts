/** A log file that cannot be read: names the path and what went wrong (`code` is the errno code). */
export class LogFileError extends Error {
  readonly code: string;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException)?.code ?? 'EIO';
    super(`cannot read ${file}: ${describeCode(code, cause)}`, { cause });
    this.name = 'LogFileError';
    this.code = code;
  }
}

function describeCode(code: string, cause: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file (has the program written anything yet?)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}
