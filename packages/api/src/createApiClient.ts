import { openRequest, readBody } from './request.js';
import { readServerSentEvents } from './readServerSentEvents.js';
import type {
  ActionResponse,
  DaemonEvent,
  DaemonView,
  EventEnvelope,
  LogLine,
  LogStream,
  ProgramAction,
  ProgramView,
  RereadOutcome,
} from './types.js';

export interface ApiClientOptions {
  /** usrsvcd's socket: apiSocketPath(stateDir). */
  socket: string;
  /** For one-shot requests (not event or log streams); default 10 000. */
  timeoutMs?: number;
}

export interface StreamOptions {
  signal?: AbortSignal;
}

export interface LogsOptions extends StreamOptions {
  stream?: LogStream | 'both';
  /** How many lines of the tail to send first; default 20. */
  lines?: number;
  /** Keep the stream open and send new lines as they are written. */
  follow?: boolean;
}

export interface ApiClient {
  readonly socket: string;
  daemon(): Promise<DaemonView>;
  programs(): Promise<ProgramView[]>;
  program(name: string): Promise<ProgramView>;
  /** `name` may be "all". Resolves with the results also when a program failed (see `code`). */
  act(name: string, action: ProgramAction): Promise<ActionResponse>;
  reread(): Promise<RereadOutcome>;
  /** Prometheus text exposition format. */
  metrics(): Promise<string>;
  /** State changes as they happen; the first events describe every program and the daemon. */
  events(options?: StreamOptions & { lastEventId?: number }): AsyncGenerator<EventEnvelope>;
  logs(name: string, options?: LogsOptions): AsyncGenerator<LogLine>;
}

/** A typed client of usrsvcd's local API (v1) over its Unix socket. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { socket } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const call = async (path: string, method: 'GET' | 'POST' = 'GET'): Promise<string> =>
    readBody(await openRequest(socket, path, { method, timeoutMs }));
  const json = async <T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> => JSON.parse(await call(path, method)) as T;
  const name = (program: string) => encodeURIComponent(program);

  return {
    socket,
    daemon: () => json<DaemonView>('/v1/daemon'),
    programs: async () => (await json<{ programs: ProgramView[] }>('/v1/programs')).programs,
    program: (program) => json<ProgramView>(`/v1/programs/${name(program)}`),
    act: (program, action) => json<ActionResponse>(`/v1/programs/${name(program)}/${action}`, 'POST'),
    reread: () => json<RereadOutcome>('/v1/reread', 'POST'),
    metrics: () => call('/metrics'),
    async *events(streamOptions = {}) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (streamOptions.lastEventId !== undefined) headers['last-event-id'] = String(streamOptions.lastEventId);
      const response = await openRequest(socket, '/v1/events', { headers, signal: streamOptions.signal });
      for await (const message of readServerSentEvents(response)) {
        yield { id: Number(message.id), event: JSON.parse(message.data) as DaemonEvent };
      }
    },
    async *logs(program, logOptions = {}) {
      const query = new URLSearchParams({ lines: String(logOptions.lines ?? 20), follow: logOptions.follow ? '1' : '0' });
      if (logOptions.stream && logOptions.stream !== 'both') query.set('stream', logOptions.stream);
      const response = await openRequest(socket, `/v1/programs/${name(program)}/logs?${query}`, {
        headers: { accept: 'text/event-stream' },
        signal: logOptions.signal,
      });
      for await (const message of readServerSentEvents(response)) yield JSON.parse(message.data) as LogLine;
    },
  };
}
