import type { LogLine, ProgramView } from '@usrsvc/api';
import { logLines, programLogSources } from '@usrsvc/logs';
import type { LogFollowOptions } from './createWebApp.js';

/**
 * Without usrsvcd: the tail of a program's configured stdout and stderr files, then each new line,
 * read by usrsvc-web itself. The files come from the configuration (the view), never from a request.
 */
export async function* followProgramLogs(program: ProgramView, options: LogFollowOptions): AsyncGenerator<LogLine> {
  const sources = programLogSources({ name: program.name, stdout: program.stdout, stderr: program.stderr }, options.stream);
  const lines = logLines(sources, { lines: options.lines, follow: true, signal: options.signal, onError: () => undefined });
  for await (const line of lines) yield { program: line.program, stream: line.stream === 'stderr' ? 'stderr' : 'stdout', line: line.line };
}
