import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from './createApiClient.js';
import type { EventEnvelope } from './types.js';

describe('createApiClient streams', () => {
  let dir: string;
  let server: http.Server;
  // Typed in Node's code but not in @types/node 20.
  const agentOptions = (http.globalAgent as unknown as { options: { timeout?: number } }).options;
  const agentTimeout = agentOptions.timeout;

  afterEach(async () => {
    agentOptions.timeout = agentTimeout;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps an event stream open while it is quiet for longer than the agent socket timeout', async () => {
    // Node's global agent times sockets out (5 s by default); a quiet stream must outlive that.
    agentOptions.timeout = 100;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usrsvc-test-'));
    const socket = path.join(dir, 'api.sock');
    let sendSecond: () => void = () => undefined;
    server = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = (id: number) => `id: ${id}\nevent: program-removed\ndata: ${JSON.stringify({ type: 'program-removed', name: `p${id}` })}\n\n`;
      response.write(event(1));
      sendSecond = () => response.write(event(2));
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));

    const received: EventEnvelope[] = [];
    for await (const envelope of createApiClient({ socket }).events()) {
      received.push(envelope);
      if (received.length === 1) {
        // Quiet for several agent timeouts, then the next event.
        setTimeout(() => sendSecond(), 500);
      } else break;
    }
    expect(received.map((e) => e.id)).toEqual([1, 2]);
  });
});
