import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { parseReadyCheck } from '@usrsvc/config';
import { nativeNotifySocket, nativeOrphanSpawn, nativeTryLockFile } from '@usrsvc/exitwatch';
import { waitFor, writeWatchdogPinger } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotifyListener } from './NotifyListener.js';
import { withProgramLock } from './programLock.js';
import { resumeNotify } from './resumeNotify.js';
import { startProgram } from './startProgram.js';
import { useHarness } from './test-support/harness.js';
import { programConfig } from './test-support/programConfig.js';

const notifySocket = nativeNotifySocket();
const tryLockFile = nativeTryLockFile();
const h = useHarness({ orphanSpawn: nativeOrphanSpawn(), ...(notifySocket ? { notifySocket } : {}), ...(tryLockFile ? { tryLockFile } : {}) });
const listeners: NotifyListener[] = [];
afterEach(() => {
  for (const listener of listeners.splice(0)) listener.close();
});

describe('resumeNotify', () => {
  it("binds a running program's notify socket path again after its start returned, keeping READY and STATUS, and takes its pings", async () => {
    const command = writeWatchdogPinger(h.home, 'pinger', { intervalSeconds: 0.2 });
    const program = programConfig(h.home, { name: 'pinger', command, successSeconds: 0.2, readyCheck: parseReadyCheck('notify'), watchdogSeconds: 3 });
    const started = await startProgram(program, h.ctx, h.track);
    expect(started).toMatchObject({ code: 0, readiness: { check: 'notify', status: 'serving' } });
    const socketPath = h.home.path('.local/state/usrsvc/notify/pinger.sock');
    // The start closed its socket: nobody listens until someone binds the path again.
    expect(fs.existsSync(socketPath)).toBe(false);

    const before = Date.now();
    const listener = await resumeNotify(program, h.ctx, { pid: started.process!.pid });
    listeners.push(listener!);
    expect(listener).toBeDefined();
    expect(listener!.path).toBe(socketPath);
    expect(listener!.state).toMatchObject({ ready: true, status: 'serving' });
    expect(listener!.state.lastWatchdogMs).toBeGreaterThanOrEqual(before);
    expect(listener!.bound()).toBe(true);
    expect(listener!.watches(started.process!.pid)).toBe(true);

    const takenOver = listener!.state.lastWatchdogMs!;
    await waitFor('a ping after the takeover', () => (listener!.state.lastWatchdogMs! > takenOver ? true : undefined));
    // A datagram from a process outside the program is dropped and counted.
    const forged = spawnSync('/usr/bin/python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b"STATUS=forged", sys.argv[1])', socketPath]);
    expect(forged.status).toBe(0);
    await waitFor('the forged datagram dropped', () => (listener!.state.dropped > 0 ? true : undefined));
    expect(listener!.state.status).toBe('serving');
  });

  it('leaves the socket alone while a start or stop holds the program lock', async () => {
    const program = programConfig(h.home, { name: 'busy', command: '/bin/sleep 302', readyCheck: parseReadyCheck('notify') });
    const during = await withProgramLock(program, h.ctx, () => resumeNotify(program, h.ctx, { pid: process.pid }));
    expect(during).toBeUndefined();
    expect(fs.existsSync(h.home.path('.local/state/usrsvc/notify/busy.sock'))).toBe(false);
  });
});
