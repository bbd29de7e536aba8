import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import type stream from 'node:stream';
import type { ApiErrorBody } from '@usrsvc/api';
import { RequestDeadlines } from './requestDeadlines.js';
import { HttpError, type RouteTable, STREAMED } from './routeTable.js';

/** Bounds that keep a misbehaving or flooding client from costing the daemon more than a little. */
export const API_LIMITS = {
  maxHeaderBytes: 8 * 1024,
  /** Time to receive a whole request (headers and the empty body). */
  requestTimeoutMs: 5_000,
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: 5_000,
  /** A connection with nothing going on (not a stream) is closed after this. */
  idleTimeoutMs: 15_000,
  maxConnections: 64,
};

/** The socket's folder is not ours alone, or its path holds something that is not a stale socket. */
export class ApiSocketError extends Error {
  readonly code = 'USRSVCD_API_SOCKET';
  constructor(
    readonly socket: string,
    readonly detail: string,
  ) {
    super(`cannot serve the API on ${socket}: ${detail}`);
    this.name = 'ApiSocketError';
  }
}

/** HTTP/1.1 on a Unix socket, answering from a route table with JSON. */
export class ApiServer {
  private readonly server: http.Server;
  private readonly deadlines = new RequestDeadlines(API_LIMITS.requestTimeoutMs, (socket, partialRequest) =>
    partialRequest ? refuse(socket, '408 Request Timeout') : socket.destroy(),
  );

  constructor(
    readonly routes: RouteTable,
    private readonly onError: (error: unknown) => void,
    /** Awaited before each request is handled: supervision goes first (see Daemon.supervisionFirst). */
    private readonly beforeRequest: () => Promise<void> = async () => undefined,
  ) {
    this.server = http.createServer(
      {
        maxHeaderSize: API_LIMITS.maxHeaderBytes,
        // Node's own request timeouts are checked every 30 s even with nothing connected: `deadlines` does it per connection.
        requestTimeout: 0,
        headersTimeout: 0,
        connectionsCheckingInterval: 2 ** 31 - 1,
        keepAliveTimeout: API_LIMITS.keepAliveTimeoutMs,
      },
      (request, response) => void this.handle(request, response),
    );
    this.server.maxConnections = API_LIMITS.maxConnections;
    this.server.setTimeout(API_LIMITS.idleTimeoutMs);
    this.server.on('connection', (socket: net.Socket) => this.deadlines.track(socket));
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) =>
      refuse(socket, error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'),
    );
  }

  /**
   * Listens on `socket`, whose folder must be a real folder owned by `uid` with mode 0700; a
   * socket left by a daemon that died is removed (the caller holds the daemon's pidfile claim).
   */
  async listen(socket: string, uid: number): Promise<void> {
    const dir = path.dirname(socket);
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) throw new ApiSocketError(socket, `${dir} is not a folder`);
    if (stat.uid !== uid) throw new ApiSocketError(socket, `${dir} is owned by uid ${stat.uid}, not ${uid}`);
    if ((stat.mode & 0o777) !== 0o700) throw new ApiSocketError(socket, `${dir} has mode ${(stat.mode & 0o777).toString(8)}, not 700`);
    let existing: fs.Stats | undefined;
    try {
      existing = fs.lstatSync(socket);
    } catch {
      existing = undefined;
    }
    if (existing) {
      if (!existing.isSocket()) throw new ApiSocketError(socket, 'the path exists and is not a socket');
      fs.unlinkSync(socket);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(socket, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    fs.chmodSync(socket, 0o600);
    this.server.on('error', (error) => this.onError(error));
  }

  /** Stops accepting, ends every connection (streams included), removes the socket. */
  async close(): Promise<void> {
    const address = this.server.address();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (typeof address === 'string') fs.rmSync(address, { force: true });
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { socket } = request;
    this.deadlines.began(socket);
    response.once('close', () => this.deadlines.answered(socket));
    try {
      const url = new URL(request.url ?? '/', 'http://usrsvcd');
      const match = this.routes.match(request.method ?? 'GET', url.pathname);
      // The API takes no request bodies but where a route reads one (XML-RPC), within its limit.
      const length = Number(request.headers['content-length'] ?? 0);
      const hasBody = request.headers['transfer-encoding'] !== undefined || length > 0;
      const maxBodyBytes = match.kind === 'found' ? match.route.maxBodyBytes : undefined;
      if (hasBody && maxBodyBytes === undefined) {
        response.setHeader('connection', 'close');
        throw new HttpError(413, 'body-not-accepted', 'the API takes no request body');
      }
      const body = maxBodyBytes === undefined ? undefined : await readBody(request, maxBodyBytes);
      this.deadlines.received(socket);
      if (body && !Buffer.isBuffer(body)) response.setHeader('connection', 'close');
      await this.beforeRequest();
      if (match.kind === 'none') throw new HttpError(404, 'not-found', `no such endpoint: ${url.pathname}`);
      if (match.kind === 'no-method') throw new HttpError(405, 'method-not-allowed', `${request.method} is not allowed on ${url.pathname}`);
      const result = await match.route.handler({ params: match.params, query: url.searchParams, headers: request.headers, request, response, body });
      if (result === STREAMED) return;
      sendJson(response, 200, result);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof HttpError) {
        sendJson(response, error.status, { error: { code: error.code, message: error.message } } satisfies ApiErrorBody);
        return;
      }
      this.onError(error);
      sendJson(response, 500, { error: { code: 'internal', message: 'internal error (see the usrsvcd log)' } } satisfies ApiErrorBody);
    }
  }
}

/**
 * Reads a request body of at most maxBytes; past that the rest is discarded as it arrives (the
 * request timeout bounds how long) and the answer is { tooLarge: true }.
 */
export function readBody(request: http.IncomingMessage, maxBytes: number): Promise<Buffer | { tooLarge: true }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(request.headers['content-length'] ?? 0) > maxBytes;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? { tooLarge: true } : Buffer.concat(chunks)));
    request.on('error', reject);
    // A client that goes away mid-body: nothing will be answered; let the handler finish.
    request.on('close', () => resolve({ tooLarge: true }));
  });
}

/** An answer to a connection whose request cannot be served, and its end. */
function refuse(socket: stream.Duplex, status: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A body already serialised (a cached answer). */
export class JsonText {
  constructor(readonly text: string) {}
}

export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = body instanceof JsonText ? body.text : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}
