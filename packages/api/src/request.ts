import http from 'node:http';
import { ApiError, DaemonUnavailableError } from './errors.js';
import type { ApiErrorBody } from './types.js';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

const UNAVAILABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES']);

/** Opens one request to the socket; resolves with the response once its status is 2xx. */
export function openRequest(socket: string, path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      socketPath: socket,
      path,
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...options.headers },
      signal: options.signal,
      timeout: options.timeoutMs,
      // No TLS server name to work out from the host (a Unix socket has none): that costs Node's
      // IPv6 regex, ~8 ms of every `usrsvc status` with usrsvcd running.
      servername: '',
    } as http.RequestOptions & { servername: string });
    // Only a one-shot request has a deadline. The global agent's own socket timeout (5 s since
    // Node 19) also emits 'timeout': a stream, quiet between events, must not end on it.
    if (options.timeoutMs !== undefined) request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code && UNAVAILABLE.has(error.code) ? new DaemonUnavailableError(socket, error.code) : error);
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        resolve(response);
        return;
      }
      readBody(response)
        .then((text) => {
          const body = parseError(text);
          reject(new ApiError(status, body?.error.code ?? 'http-error', body?.error.message ?? (text || response.statusMessage || ''), path));
        })
        .catch(reject);
    });
    request.end();
  });
}

export async function readBody(response: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseError(text: string): ApiErrorBody | undefined {
  try {
    const body = JSON.parse(text) as ApiErrorBody;
    return typeof body?.error?.message === 'string' ? body : undefined;
  } catch {
    return undefined;
  }
}
