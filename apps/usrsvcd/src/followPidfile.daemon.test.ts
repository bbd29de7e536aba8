import { readPidfile, waitFor } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('a program that re-executes itself and writes a new pidfile (as nginx and gunicorn on USR2)', () => {
  it('is followed by usrsvcd to the new PID when the old process exits, not restarted', async () => {
    h = new DaemonHarness();
    const pidfile = h.home.path('re.pid');
    // On USR2: start a copy of itself, which writes its PID to the pidfile; exit once it has.
    const command = h.script(
      're',
      [
        `echo $$ > ${pidfile}`,
        `trap '/bin/sh "$0" & while [ "$(cat ${pidfile})" = "$$" ]; do sleep 0.05; done; exit 0' USR2`,
        'while :; do sleep 0.05; done',
      ].join('\n'),
    );
    h.writeProgram('re', command, { autopid: 'False' });
    await h.startDaemonAndWait({ USRSVCD_SCAN_INTERVAL_MS: '500' });
    const old = await h.servicePid(pidfile);
    await h.waitForLog(new RegExp(`\\(re\\) - started as pid ${old}`));

    process.kill(old, 'SIGUSR2');
    // usrsvcd learns of it by the exit of the old process, or earlier by the pidfile's change.
    await waitFor('the old process to exit', () => !isLive(old), { timeoutMs: 20_000 });
    const successor = readPidfile(pidfile)!;
    h.reaper.track(successor);
    expect(successor).not.toBe(old);
    expect(isLive(successor)).toBe(true);
    const view = await waitFor('the API to show the new PID', async () => {
      const found = (await h.api().programs()).find((p) => p.name === 're');
      return found?.state.state === 'running' && found.process?.pid === successor && found;
    });
    expect(view.restartCounts.crash).toBe(0);
    expect(h.log()).not.toMatch(/\(re\) - has stopped running/);
  });
});
