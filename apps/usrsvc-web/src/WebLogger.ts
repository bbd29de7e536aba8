/** How usrsvc-web's parts report what happens; the CLI prints it. */
export interface WebLogger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: WebLogger = { info: () => undefined, warn: () => undefined };
