export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  /** performance.now() when logged. */
  at: number;
}

/** A Logger that keeps what it is told, for assertions. */
export function memoryLogger() {
  const entries: LogEntry[] = [];
  const log = (level: LogEntry['level']) => (message: string) => {
    entries.push({ level, message, at: performance.now() });
  };
  return {
    entries,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    messages(level: LogEntry['level']): string[] {
      return entries.filter((entry) => entry.level === level).map((entry) => entry.message);
    },
  };
}
