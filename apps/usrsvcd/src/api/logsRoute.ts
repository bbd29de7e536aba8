import type http from 'node:http';
import type { LogLine as ApiLogLine } from '@usrsvc/api';
import { type LogLinesOptions, logLines, programLogSources } from '@usrsvc/logs';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

export const LOG_STREAM_LIMITS = {
  maxStreams: 16,
  maxLines: 1000,
  /** A client that does not read is dropped once this much waits for it. */
  maxBufferedBytes: 1024 * 1024,
};

/** The files of a configured program: the only files the logs endpoint ever reads. */
export interface LoggedProgram {
  name: string;
  stdout: string;
  stderr: string;
}

/**
 * GET /v1/programs/{name}/logs?stream=stdout|stderr|both&lines=N&follow=1: Server-Sent Events,
 * one `line` event per line (a LogLine), the tail first, then (follow) each new line as it is
 * written, across rotation and truncation. It reads the program's configured stdout and stderr
 * files and nothing else: the request names a program, never a path.
 */
export function addLogsRoute(routes: RouteTable, program: (name: string) => LoggedProgram | undefined, options: Pick<LogLinesOptions, 'pollMs'> = {}): RouteTable {
  let open = 0;
  return routes.add({
    method: 'GET',
    path: '/v1/programs/:name/logs',
    handler: ({ params, query, request, response }) => {
      const found = program(params.name!);
      if (!found) throw new HttpError(404, 'no-such-program', `no program named ${JSON.stringify(params.name)}`);
      const stream = query.get('stream') ?? 'both';
      if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'both') throw new HttpError(400, 'bad-stream', 'stream must be stdout, stderr or both');
      const lines = Number(query.get('lines') ?? 20);
      if (!Number.isInteger(lines) || lines < 0 || lines > LOG_STREAM_LIMITS.maxLines) {
        throw new HttpError(400, 'bad-lines', `lines must be a whole number from 0 to ${LOG_STREAM_LIMITS.maxLines}`);
      }
      if (open >= LOG_STREAM_LIMITS.maxStreams) throw new HttpError(503, 'too-many-streams', `at most ${LOG_STREAM_LIMITS.maxStreams} log streams at once`);
      open += 1;
      void serve(found, stream, lines, query.get('follow') === '1', request, response, options).finally(() => {
        open -= 1;
      });
      return STREAMED;
    },
  });
}

async function serve(
  program: LoggedProgram,
  stream: 'stdout' | 'stderr' | 'both',
  lines: number,
  follow: boolean,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: Pick<LogLinesOptions, 'pollMs'>,
): Promise<void> {
  request.socket.setTimeout(0);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.write('retry: 1000\n\n');
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  const write = (event: string, data: unknown) => {
    if (response.writableLength > LOG_STREAM_LIMITS.maxBufferedBytes) {
      response.destroy();
      abort.abort();
      return;
    }
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  try {
    const source = logLines(programLogSources(program, stream), {
      lines,
      follow,
      signal: abort.signal,
      pollMs: options.pollMs,
      onError: (_source, error) => write('notice', { message: error.message }),
    });
    for await (const line of source) {
      // A file shared by stdout and stderr is reported as stdout, the file it is configured as.
      const view: ApiLogLine = { program: line.program, stream: line.stream === 'stderr' ? 'stderr' : 'stdout', line: line.line };
      write('line', view);
    }
  } catch (error) {
    if (!abort.signal.aborted) write('notice', { message: (error as Error).message });
  } finally {
    response.end();
  }
}
