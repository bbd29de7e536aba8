import fs from 'node:fs';
import { apiSocketPath } from '@usrsvc/api';
import { readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, exitOf, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('usrsvcd with nothing to wait on', () => {
  it('runs without its API and without programs until it is told to stop', async () => {
    h = new DaemonHarness();
    // A plain file where the socket goes: usrsvcd refuses to replace it and runs without the API.
    fs.mkdirSync(h.stateDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(apiSocketPath(h.stateDir), 'not a socket\n');
    const daemon = h.startDaemon({ USRSVCD_SCAN_INTERVAL_MS: '200' });
    await waitFor('usrsvcd pidfile', () => readPidfile(h.pidfile) === daemon.pid, { timeoutMs: 15_000 });
    await h.waitForLog(/is not a socket; running without the API/);
    await h.waitForLog(/Configuration: 0 programs/);

    // No API, no program, no safety pass due: still there to take a reread, then a stop.
    process.kill(daemon.pid!, 'SIGUSR1');
    await h.waitForLog(/New configuration is valid \(0 programs\)/);
    expect(isLive(daemon.pid!)).toBe(true);
    process.kill(daemon.pid!, 'SIGTERM');
    expect(await exitOf(daemon)).toBe(0);
    expect(h.logLines(/usrsvcd stopped\./)).toHaveLength(1);
  });
});
