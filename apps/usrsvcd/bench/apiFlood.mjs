#!/usr/bin/env node
// Floods usrsvcd's API on SOCKET until SIGTERM: requests back to back on 16 keep-alive
// connections, 32 event streams that are never read, and 20 requests left half-sent.
// Prints "flooding" once it has started, and a summary line when it stops.
import http from 'node:http';
import net from 'node:net';

const socket = process.argv[2];
if (!socket) throw new Error('usage: apiFlood.mjs SOCKET');
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
let served = 0;
let refused = 0;
let failed = 0;
let stopping = false;
const held = [];

function get(path) {
  return new Promise((resolve) => {
    const request = http.request({ socketPath: socket, path, agent }, (response) => {
      if (response.statusCode === 200 || response.statusCode === 404) served += 1;
      else refused += 1;
      response.resume();
      response.on('end', resolve);
    });
    request.on('error', () => {
      failed += 1;
      resolve();
    });
    request.end();
  });
}

async function loop(index) {
  const paths = ['/v1/programs', `/v1/programs/svc${String(100 + index).padStart(3, '0')}`, '/v1/daemon', '/v1/nothing'];
  for (let i = 0; !stopping; i++) await get(paths[i % paths.length]);
}

for (let i = 0; i < 32; i++) {
  const request = http.request({ socketPath: socket, path: '/v1/events', headers: { accept: 'text/event-stream' } }, (response) => {
    response.pause(); // never read: the daemon must drop or bound it, not wait for it
    held.push(response);
  });
  request.on('error', () => undefined);
  request.end();
}
for (let i = 0; i < 20; i++) {
  const half = net.connect(socket, () => half.write('GET /v1/programs HTTP/1.1\r\nHost: x\r\n'));
  half.on('error', () => undefined);
  held.push(half);
}
const started = Date.now();
const loops = Array.from({ length: 16 }, (_, i) => loop(i));
process.stdout.write('flooding\n');
process.on('SIGTERM', async () => {
  stopping = true;
  await Promise.all(loops);
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `${Math.round(served / seconds)} answered requests/s (${refused} refused with 429/503, ${failed} connection errors) on 16 connections, 32 unread streams, 20 half-open requests\n`,
  );
  process.exit(0);
});
