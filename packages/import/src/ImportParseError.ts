/** A source file that cannot be read or parsed: the import stops (exit 130), naming file and line. */
export class ImportParseError extends Error {
  readonly code = 'USRSVC_IMPORT_PARSE';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'ImportParseError';
  }
}
