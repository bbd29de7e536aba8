import type http from 'node:http';
import { answerRpc, followLogBytes, RPC_MAX_BODY_BYTES, type SupervisorBackend } from '@usrsvc/supervisor-rpc';
import { LOG_STREAM_LIMITS } from './logsRoute.js';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

/**
 * supervisord's XML-RPC interface on the API socket: POST /RPC2 (supervisorctl -s unix://SOCKET,
 * Ansible), GET /logtail/NAME/stdout|stderr and /mainlogtail (tail -f, maintail -f). The socket
 * is the user's own (0600 in a 0700 folder), so every method is allowed, as the rest of the API.
 */
export function addSupervisorRoutes(routes: RouteTable, backend: SupervisorBackend, onError: (error: unknown) => void): RouteTable {
  let open = 0;
  const follow = (file: string | undefined, request: http.IncomingMessage, response: http.ServerResponse) => {
    if (!file) throw new HttpError(404, 'no-log-file', 'no such log file');
    if (open >= LOG_STREAM_LIMITS.maxStreams) throw new HttpError(503, 'too-many-streams', `at most ${LOG_STREAM_LIMITS.maxStreams} log streams at once`);
    open += 1;
    void streamLog(file, request, response).finally(() => {
      open -= 1;
    });
    return STREAMED;
  };
  return routes
    .add({
      method: 'POST',
      path: '/RPC2',
      maxBodyBytes: RPC_MAX_BODY_BYTES,
      handler: async ({ body, response }) => {
        const after: Array<() => void> = [];
        const answer = await answerRpc(body ?? Buffer.alloc(0), { backend, mayWrite: true, afterResponse: (action) => after.push(action), onError });
        if (answer.kind === 'refused') throw new HttpError(403, 'forbidden', `${answer.method} is not allowed`);
        response.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(answer.xml), 'cache-control': 'no-store' });
        response.end(answer.xml, () => {
          for (const action of after) action();
        });
        return STREAMED;
      },
    })
    .add({
      method: 'GET',
      path: '/logtail/:name/:stream',
      handler: ({ params, request, response }) => {
        const view = backend.program(params.name!);
        if (!view) throw new HttpError(404, 'no-such-program', `no program named ${JSON.stringify(params.name)}`);
        if (params.stream !== 'stdout' && params.stream !== 'stderr') throw new HttpError(404, 'bad-stream', 'the stream is stdout or stderr');
        return follow(params.stream === 'stdout' ? view.stdout : view.stderr, request, response);
      },
    })
    .add({ method: 'GET', path: '/mainlogtail', handler: ({ request, response }) => follow(backend.mainLogFile(), request, response) });
}

async function streamLog(file: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  request.socket.setTimeout(0);
  response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  const abort = new AbortController();
  response.on('close', () => abort.abort());
  try {
    for await (const text of followLogBytes(file, { signal: abort.signal })) {
      if (response.writableLength > LOG_STREAM_LIMITS.maxBufferedBytes) {
        response.destroy();
        abort.abort();
        return;
      }
      response.write(text);
    }
  } catch {
    // the file went away or the client did: nothing more to send
  } finally {
    response.end();
  }
}
