import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeTempHome, Reaper, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADDON_PATH } from './addon.js';
import { nativeClient } from './nativeClient.js';
import { built } from './test-support/built.js';

const ADDON = fileURLToPath(new URL(ADDON_PATH, import.meta.url));

let home: TempHome;
const reaper = new Reaper();
beforeEach(() => {
  home = makeTempHome('usrsvc-unix-exchange-');
});
afterEach(() => {
  reaper.killAll();
  home.remove();
});

const client = () => built(nativeClient());
const exchange = () => client().unixExchange;

// The exchange blocks this thread, so the peer runs in a process of its own.
const SERVER = `
const net = require('node:net');
const [path, mode] = process.argv.slice(1);
net.createServer((socket) => {
  const chunks = [];
  socket.on('data', (chunk) => {
    chunks.push(chunk);
    const request = Buffer.concat(chunks).toString('latin1');
    if (!request.endsWith('\\n') || mode === 'silent') return;
    // An answer far past one socket buffer, closed after it: the exchange reads to the end.
    const line = 'answer to ' + request.trim() + '\\n';
    socket.end(line.repeat(Math.ceil(1_000_000 / line.length)));
  });
}).listen(path, () => process.stdout.write('listening\\n'));
`;

async function startServer(path: string, mode: 'answer' | 'silent'): Promise<void> {
  const child = spawn(process.execPath, ['-e', SERVER, path, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  reaper.track(child.pid);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  await waitFor('the test server to listen', () => out.includes('listening'));
}

describe('nativeClient().unixExchange', () => {
  it('sends the request and returns the whole answer, read until the peer closed', async () => {
    const path = home.path('api.sock');
    await startServer(path, 'answer');
    const answer = exchange()(path, Buffer.from('status web\n'), 10_000).toString('latin1');
    const lines = answer.split('\n').filter(Boolean);
    expect(answer.length).toBeGreaterThanOrEqual(1_000_000);
    expect(new Set(lines)).toEqual(new Set(['answer to status web']));
  });

  it('throws ENOENT for no socket and ECONNREFUSED for a socket no one listens on', () => {
    expect(() => exchange()(home.path('none.sock'), Buffer.from('x\n'), 1_000)).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'connect' }));
    // A server that was killed leaves its socket file behind (closing one from Node unlinks it).
    const stale = home.path('stale.sock');
    const killed = spawnSync(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    expect(killed.signal).toBe('SIGKILL');
    expect(() => exchange()(stale, Buffer.from('x\n'), 1_000)).toThrow(expect.objectContaining({ code: 'ECONNREFUSED', syscall: 'connect' }));
  });

  it('gives up with ETIMEDOUT when the peer accepts and never answers', async () => {
    const path = home.path('silent.sock');
    await startServer(path, 'silent');
    expect(() => exchange()(path, Buffer.from('status\n'), 300)).toThrow(expect.objectContaining({ code: 'ETIMEDOUT', syscall: 'read' }));
  });

  it('refuses a path longer than a Unix socket address holds', () => {
    expect(() => exchange()(`/tmp/${'x'.repeat(200)}.sock`, Buffer.from('x'), 1_000)).toThrow(expect.objectContaining({ code: 'ENAMETOOLONG' }));
  });
});

describe('nativeClient().isTerminal', () => {
  it('is true for a pseudo-terminal and false for a pipe, a file and a closed descriptor', () => {
    const pipe = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(ADDON)}).isTerminal(1)))`], { encoding: 'utf8' });
    expect(pipe.stdout).toBe('false');
    // script(1) gives the probe a pty for its stdout; what it prints comes back through the pty.
    const onPty = spawnSync('script', ['-qec', `${process.execPath} -e 'process.stdout.write("tty=" + require(${JSON.stringify(ADDON)}).isTerminal(1))'`, '/dev/null'], { encoding: 'utf8' });
    expect(onPty.stdout).toContain('tty=true');
    const fd = fs.openSync(home.path('plain'), 'w');
    expect(client().isTerminal(fd)).toBe(false);
    fs.closeSync(fd);
    expect(client().isTerminal(fd)).toBe(false);
  });
});
