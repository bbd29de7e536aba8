import { type ApiClient, ApiError, DaemonUnavailableError, type LogLine, type LogStream, type ProgramAction, type ProgramView } from '@usrsvc/api';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type GuardEnv, type GuardOptions, guard } from './guard.js';
import type { PageAsset } from './pageAssets.js';
import { DaemonNotRunningError, type StateHub } from './StateHub.js';
import { securityHeaders } from './securityHeaders.js';
import { addSupervisorRpcRoutes } from './supervisorRpcRoutes.js';

export interface LogFollowOptions {
  stream: LogStream | 'both';
  lines: number;
  signal: AbortSignal;
}

export interface WebAppOptions extends GuardOptions {
  hub: StateHub;
  client: ApiClient;
  assets: Map<string, PageAsset>;
  /** Logs without usrsvcd (tail and follow of the configured files); absent: the page says logs need usrsvcd. */
  followLogs?: (program: ProgramView, options: LogFollowOptions) => AsyncIterable<LogLine>;
  /** Open event and log streams at most (a flood of them must not exhaust the process); default 64. */
  maxStreams?: number;
}

const ACTIONS = new Set<ProgramAction>(['start', 'stop', 'restart']);
const MAX_LOG_LINES = 1000;

/** usrsvc-web's routes. Nothing here runs a command or takes a path or configuration. */
export function createWebApp(options: WebAppOptions): Hono<GuardEnv> {
  const { hub, client, assets } = options;
  const maxStreams = options.maxStreams ?? 64;
  let openStreams = 0;
  const app = new Hono<GuardEnv>();
  const error = (code: string, message: string) => ({ error: { code, message } });

  app.use('*', securityHeaders());
  app.use('*', guard(options));

  const asset = (file: string) => (c: { body: (b: string, s: 200, h: Record<string, string>) => Response }) => {
    const found = assets.get(file)!;
    return c.body(found.body, 200, { 'Content-Type': found.type });
  };
  app.get('/', asset('index.html'));
  app.get('/app.js', asset('app.js'));
  app.get('/app.css', asset('app.css'));
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/api/state', async (c) => c.json({ ...(await hub.freshState()), access: c.get('access') }));

  app.get('/api/events', (c) => {
    if (openStreams >= maxStreams) return c.json(error('busy', 'too many open streams'), 503);
    openStreams += 1;
    return streamSSE(c, async (stream) => {
      let id = 0;
      const queue: Promise<void>[] = [];
      const send = (type: string, data: unknown) => {
        id += 1;
        queue.push(stream.writeSSE({ event: type, id: String(id), data: JSON.stringify(data) }));
      };
      send('access', { access: c.get('access') });
      send('snapshot', { state: hub.state });
      const unsubscribe = hub.subscribe((event) => {
        const { type, ...data } = event;
        send(type, data);
      });
      const keepAlive = setInterval(() => queue.push(stream.write(': keep-alive\n\n').then(() => undefined)), 25_000);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clearInterval(keepAlive);
      unsubscribe();
      openStreams -= 1;
    });
  });

  app.get('/api/programs/:name/logs', (c) => {
    const name = c.req.param('name');
    const program = hub.state.programs.find((p) => p.name === name);
    if (!program) return c.json(error('no-such-program', `No such program: ${name}`), 404);
    const streamParam = c.req.query('stream') ?? 'both';
    if (streamParam !== 'stdout' && streamParam !== 'stderr' && streamParam !== 'both') return c.json(error('bad-request', 'stream must be stdout, stderr or both'), 400);
    const lines = Math.min(MAX_LOG_LINES, Math.max(0, Number.parseInt(c.req.query('lines') ?? '50', 10) || 0));
    if (openStreams >= maxStreams) return c.json(error('busy', 'too many open streams'), 503);
    openStreams += 1;
    return streamSSE(c, async (stream) => {
      const abort = new AbortController();
      stream.onAbort(() => abort.abort());
      try {
        const source =
          hub.state.mode === 'daemon'
            ? client.logs(name, { stream: streamParam, lines, follow: true, signal: abort.signal })
            : options.followLogs?.(program, { stream: streamParam, lines, signal: abort.signal });
        if (!source) {
          await stream.writeSSE({ event: 'notice', data: JSON.stringify({ message: 'logs are shown while usrsvcd runs' }) });
        } else {
          await stream.writeSSE({ event: 'notice', data: JSON.stringify({ message: '' }) });
          for await (const line of source) await stream.writeSSE({ event: 'line', data: JSON.stringify(line) });
        }
      } catch (cause) {
        if (!abort.signal.aborted) {
          const message = cause instanceof ApiError && cause.status === 404 ? 'usrsvcd does not serve logs' : `log stream ended: ${(cause as Error).message}`;
          await stream.writeSSE({ event: 'notice', data: JSON.stringify({ message }) }).catch(() => undefined);
        }
      } finally {
        openStreams -= 1;
      }
    });
  });

  app.post('/api/programs/:name/:action', async (c) => {
    const { name, action } = c.req.param();
    if (!ACTIONS.has(action as ProgramAction)) return c.json(error('bad-action', `unknown action ${action}`), 404);
    if (name !== 'all' && !hub.hasProgram(name)) return c.json(error('no-such-program', `No such program: ${name}`), 404);
    return c.json(await hub.act(name, action as ProgramAction));
  });

  app.post('/api/reread', async (c) => c.json(await hub.reread()));

  app.get('/metrics', async (c) => {
    const text = await client.metrics();
    return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  addSupervisorRpcRoutes(app, { socket: client.socket, onRefused: options.onRefused });

  app.notFound((c) => c.json(error('not-found', 'no such page'), 404));
  app.onError((cause, c) => {
    if (cause instanceof DaemonNotRunningError || cause instanceof DaemonUnavailableError) return c.json(error('no-daemon', cause.message), 409);
    if (cause instanceof ApiError) return c.json(error(cause.code, cause.message), cause.status >= 400 && cause.status < 600 ? (cause.status as 400) : 502);
    return c.json(error('internal', (cause as Error).message), 500);
  });
  return app;
}
