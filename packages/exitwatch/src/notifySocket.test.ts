import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { makeTempHome, type TempHome, waitFor } from '@usrsvc/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NotifyDatagram, type NotifySocket, nativeNotifySocket } from './notifySocket.js';
import { built } from './test-support/built.js';

let home: TempHome;
const open: NotifySocket[] = [];
beforeEach(() => {
  home = makeTempHome('usrsvc-notify-socket-');
});
afterEach(() => {
  for (const socket of open.splice(0)) socket.close();
  home.remove();
});

function bind(path: string, onDatagram: (datagram: NotifyDatagram) => void): NotifySocket {
  const socket = built(nativeNotifySocket())(path, onDatagram);
  open.push(socket);
  return socket;
}

/** Sends `text` to the socket at `path` from a Python process; resolves with its pid and whether the send worked. */
function send(path: string, text: string): Promise<{ pid: number; sent: boolean }> {
  const script = `import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.sendto(sys.argv[2].encode(), sys.argv[1]); print(os.getpid(), 1)
except OSError:
    print(os.getpid(), 0)
`;
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', ['-c', script, path, text], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      const [pid, sent] = out.trim().split(' ').map(Number);
      resolve({ pid: pid!, sent: sent === 1 });
    });
  });
}

describe('nativeNotifySocket', () => {
  it("receives a datagram with its sender's pid and uid from the kernel, its socket file has mode 0600", async () => {
    const path = home.path('a.sock');
    const received: NotifyDatagram[] = [];
    bind(path, (datagram) => received.push(datagram));
    expect(fs.statSync(path).mode & 0o777).toBe(0o600);
    const { pid, sent } = await send(path, 'READY=1\nSTATUS=up');
    expect(sent).toBe(true);
    const [datagram] = await waitFor('the datagram', () => (received.length > 0 ? received : undefined));
    expect(datagram).toEqual({ pid, uid: process.getuid!(), size: 17, data: 'READY=1\nSTATUS=up' });
  });

  it('binds over a stale socket file (its owner died without removing it), so the same path serves again', async () => {
    const path = home.path('stale.sock');
    const left = spawnSync('/usr/bin/python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])', path]);
    expect(left.status).toBe(0);
    expect(fs.statSync(path).isSocket()).toBe(true);
    expect((await send(path, 'WATCHDOG=1')).sent).toBe(false);
    const received: string[] = [];
    bind(path, (datagram) => received.push(datagram.data));
    expect((await send(path, 'WATCHDOG=1')).sent).toBe(true);
    await waitFor('the ping', () => received.includes('WATCHDOG=1'));
  });

  it('knows when a later socket took its path, and then leaves that one in place when it closes', async () => {
    const path = home.path('b.sock');
    const older = bind(path, () => undefined);
    expect(older.bound()).toBe(true);
    const received: string[] = [];
    const newer = bind(path, (datagram) => received.push(datagram.data));
    expect(older.bound()).toBe(false);
    expect(newer.bound()).toBe(true);
    older.close();
    expect(fs.existsSync(path)).toBe(true);
    expect((await send(path, 'STATUS=newer')).sent).toBe(true);
    await waitFor('the datagram at the newer socket', () => received.includes('STATUS=newer'));
    newer.close();
    expect(newer.bound()).toBe(false);
    expect(fs.existsSync(path)).toBe(false);
  });
});
