import type { Printer } from '../printer.js';

/** runProgramAction's onError: an unexpected error's stack, shown with --debug. */
export const debugError = (printer: Printer) => (error: unknown) =>
  printer.debug(error instanceof Error ? (error.stack ?? error.message) : String(error));
