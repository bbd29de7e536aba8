import fs from 'node:fs';
import net from 'node:net';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { API_LIMITS, ApiServer } from './apiServer.js';
import { RouteTable } from './routeTable.js';

/** A raw connection to the socket and everything it received until the server closed it. */
function connect(socket: string): { connection: net.Socket; received: () => string; closed: Promise<number> } {
  const connection = net.connect(socket);
  let text = '';
  connection.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  const closed = new Promise<number>((resolve) => connection.on('close', () => resolve(performance.now())));
  return { connection, received: () => text, closed };
}

describe('ApiServer request deadlines (no 30 s timer of its own)', () => {
  let home: TempHome | undefined;
  let server: ApiServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
    home?.remove();
    home = undefined;
  });

  it('answers 408 to a request still incomplete after the request timeout, closes a kept-alive connection that sends nothing more, and never cuts a request being answered', async () => {
    home = makeTempHome();
    fs.mkdirSync(home.path('run'), { mode: 0o700 });
    const socket = home.path('run', 'api.sock');
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const routes = new RouteTable()
      .add({ method: 'GET', path: '/quick', handler: () => ({ ok: true }) })
      .add({
        method: 'GET',
        path: '/slow',
        handler: async () => {
          await released;
          return { slow: true };
        },
      });
    server = new ApiServer(routes, (error) => {
      throw error;
    });
    await server.listen(socket, process.getuid!());

    const partial = connect(socket);
    const startedAt = performance.now();
    partial.connection.write('GET /quick HTTP/1.1\r\nHost: usrsvcd\r\n');
    const keptAlive = connect(socket);
    keptAlive.connection.write('GET /quick HTTP/1.1\r\nHost: usrsvcd\r\n\r\n');
    const slow = connect(socket);
    slow.connection.write('GET /slow HTTP/1.1\r\nHost: usrsvcd\r\nConnection: close\r\n\r\n');

    await waitFor('the kept-alive answer', () => keptAlive.received().includes('{"ok":true}'));
    const partialClosedAt = await partial.closed;
    expect(partial.received()).toBe('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    expect(partialClosedAt - startedAt).toBeGreaterThanOrEqual(API_LIMITS.requestTimeoutMs - 50);

    await keptAlive.closed;
    expect(keptAlive.received().match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(keptAlive.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n/);

    // The slow request has waited past its connection's deadline and is still answered.
    expect(slow.connection.destroyed).toBe(false);
    release();
    await slow.closed;
    expect(slow.received()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"slow":true\}$/);
  }, 30_000);
});
