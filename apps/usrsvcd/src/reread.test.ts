import fs from 'node:fs';
import { ReturnCodes } from '@usrsvc/launcher';
import { readPidfile, sleep } from '@usrsvc/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, isLive } from './test-support/daemonHarness.js';

const FAST = { USRSVCD_SCAN_INTERVAL_MS: '500' };
let h: DaemonHarness;
afterEach(async () => {
  await h.cleanup();
});

describe('reread', () => {
  it('keeps the last good config on errors, then applies a good one: added, changed, removed', async () => {
    h = new DaemonHarness();
    const aCommand = h.uniqueSleep();
    const aPidfile = h.writeProgram('a', aCommand);
    const gonePidfile = h.writeProgram('gone', h.uniqueSleep());
    const daemon = await h.startDaemonAndWait(FAST);
    const a1 = await h.servicePid(aPidfile);
    const gone = await h.servicePid(gonePidfile);
    await h.waitForLog(/\) - started as pid/, { count: 2 });

    // A broken file: the CLI refuses (130) and sends nothing; a raw SIGUSR1 makes the daemon log and keep going.
    const bad = `${h.confDir}/broken.cfg`;
    fs.writeFileSync(bad, '[Program:broken]\ncommand = sleep 5\npidfile = relative.pid\n');
    const refused = await h.runCli(['reread']);
    expect(refused.code).toBe(ReturnCodes.INVALID_CONFIG);
    expect(refused.stderr).toContain(`${bad}:`);
    process.kill(daemon.pid!, 'SIGUSR1');
    await h.waitForLog(/ERROR: Error in configuration, keeping the last good configuration/);
    await h.waitForLog(new RegExp(`ERROR:   ${bad.replace(/[.]/g, '\\.')}:\\d+`));
    expect(isLive(daemon.pid!)).toBe(true);
    // Still supervising with the old configuration.
    process.kill(a1, 'SIGKILL');
    const a2 = await h.servicePid(aPidfile, a1);

    // A good one: adds b, changes a, removes "gone".
    fs.rmSync(bad);
    const bPidfile = h.writeProgram('b', h.uniqueSleep());
    h.writeProgram('a', aCommand, { restart_delay: 1 });
    h.removeProgram('gone');
    const accepted = await h.runCli(['reread']);
    expect(accepted.code).toBe(0);
    await h.waitForLog(/Applied the new configuration: added: b; removed: gone; changed: a \([^)]*restart_delay/);
    await h.servicePid(bPidfile);
    await h.waitForLog(/\(gone\) - removed from the configuration: left running/);

    // A removed program is left running and no longer restarted.
    expect(isLive(gone)).toBe(true);
    process.kill(gone, 'SIGKILL');
    await sleep(1_200);
    expect(readPidfile(gonePidfile) === gone || readPidfile(gonePidfile) === undefined).toBe(true);
    expect(h.logLines(/\(gone\) - .*Trying to start/)).toHaveLength(1);
    // A changed program keeps its process.
    expect(isLive(a2)).toBe(true);
    expect(readPidfile(aPidfile)).toBe(a2);
  });
});
