import { ctime } from '@usrsvc/logline';
import { type Colors, colorsEnabled, makeColors } from './colors.js';

export interface OutputStreams {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Everything the CLI shows goes through here: results to stdout, errors and debug to stderr. */
export class Printer {
  readonly outColors: Colors;
  readonly errColors: Colors;

  constructor(
    private readonly streams: OutputStreams,
    env: NodeJS.ProcessEnv,
    readonly debugEnabled = false,
    /** The stamp of logMsg/logErr lines: local time now (usrsvcd answering a status gives the CLI's zone). */
    private readonly stamp: () => string = () => ctime(),
  ) {
    this.outColors = makeColors(colorsEnabled(streams.stdout, env));
    this.errColors = makeColors(colorsEnabled(streams.stderr, env));
  }

  out(text: string): void {
    this.streams.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.streams.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The original's logMsg: `[Tue Mar  8 22:14:34 2016] - message` on stdout. */
  logMsg(message: string): void {
    this.out(`${this.outColors.dim(`[${this.stamp()}]`)} - ${message}`);
  }

  /** The original's logErr: the same line on stderr. */
  logErr(message: string): void {
    this.err(`${this.errColors.dim(`[${this.stamp()}]`)} - ${message}`);
  }

  debug(message: string): void {
    if (this.debugEnabled) this.err(`${this.errColors.dim(`[${this.stamp()}] debug:`)} ${message}`);
  }
}
