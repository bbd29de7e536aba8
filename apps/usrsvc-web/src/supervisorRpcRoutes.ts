import http from 'node:http';
import { Readable } from 'node:stream';
import { callAccess, parseMethodCall, RPC_MAX_BODY_BYTES, RpcFault, serializeFault } from '@usrsvc/supervisor-rpc';
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { GuardEnv } from './guard.js';

export interface SupervisorRpcOptions {
  /** usrsvcd's API socket, which answers the calls (one implementation: the daemon's). */
  socket: string;
  /** Told of every refused request (a read-only token calling a method that acts). */
  onRefused(status: 403, reason: string, c: Context): void;
}

const xml = (c: Context, text: string) => c.body(text, 200, { 'Content-Type': 'text/xml', 'Cache-Control': 'no-store' });
const noDaemon = () => serializeFault(new RpcFault('FAILED', 'usrsvcd is not running: usrsvc-web answers supervisor XML-RPC while usrsvcd runs'));

function forward(socket: string, method: 'GET' | 'POST', path: string, body?: Buffer, signal?: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: socket, method, path, headers: body ? { 'content-type': 'text/xml', 'content-length': body.length } : {}, signal }, resolve);
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * supervisor's XML-RPC through usrsvc-web: the token's access is checked here (a read-only token
 * may call only methods that read, inside a multicall too), then the call is answered by
 * usrsvcd over its socket; /logtail and /mainlogtail stream from it as they come.
 */
export function addSupervisorRpcRoutes(app: Hono<GuardEnv>, options: SupervisorRpcOptions): void {
  app.post(
    '/RPC2',
    bodyLimit({ maxSize: RPC_MAX_BODY_BYTES, onError: (c) => xml(c, serializeFault(new RpcFault('INCORRECT_PARAMETERS', `request body larger than ${RPC_MAX_BODY_BYTES} bytes`))) }),
    async (c) => {
      const body = Buffer.from(await c.req.arrayBuffer());
      try {
        const call = parseMethodCall(body.toString('utf8'));
        if (c.get('access') !== 'admin' && callAccess(call) === 'write') {
          const reason = `a read-only token cannot call ${call.method}`;
          options.onRefused(403, reason, c);
          return c.json({ error: { code: 'forbidden', message: reason } }, 403);
        }
      } catch (error) {
        if (error instanceof RpcFault) return xml(c, serializeFault(error));
        throw error;
      }
      let answer: http.IncomingMessage;
      try {
        answer = await forward(options.socket, 'POST', '/RPC2', body);
      } catch {
        return xml(c, noDaemon());
      }
      const chunks: Buffer[] = [];
      for await (const chunk of answer) chunks.push(chunk as Buffer);
      return c.body(Buffer.concat(chunks).toString('utf8'), answer.statusCode === 200 ? 200 : 502, { 'Content-Type': 'text/xml', 'Cache-Control': 'no-store' });
    },
  );
  const stream = async (c: Context, path: string) => {
    const abort = new AbortController();
    c.req.raw.signal.addEventListener('abort', () => abort.abort());
    let answer: http.IncomingMessage;
    try {
      answer = await forward(options.socket, 'GET', path, undefined, abort.signal);
    } catch {
      return c.text('usrsvcd is not running\n', 503);
    }
    if (answer.statusCode !== 200) {
      answer.resume();
      return c.text('no such log\n', 404);
    }
    answer.on('error', () => undefined);
    return c.body(Readable.toWeb(answer) as ReadableStream, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  };
  app.get('/logtail/:name/:stream', (c) => stream(c, `/logtail/${encodeURIComponent(c.req.param('name'))}/${encodeURIComponent(c.req.param('stream'))}`));
  app.get('/mainlogtail', (c) => stream(c, '/mainlogtail'));
}
